// A DWARF expression stack machine for CFI (DWARF 5 §2.5): enough for the PLT CFA expression and
// the signal-frame register expressions. 64-bit wrapping arithmetic in bigint; bounded steps;
// ops outside CFI use (DW_OP_fbreg, DW_OP_piece, …) are a FormatError.
import { Cursor } from './cursor.js';
import { FormatError } from '../util/errors.js';

/** Role: what an expression may read: registers by DWARF number and target memory. */
export interface ExpressionContext {
  /** Value of a DWARF register in the frame being unwound, or undefined when unknown. */
  register(dwarfRegister: number): bigint | undefined;
  /** `size` bytes (1–8) at an address, little-endian, or undefined when unreadable. */
  memory(address: bigint, size: number): bigint | undefined;
}

const MASK = (1n << 64n) - 1n;
const MAX_STEPS = 10_000;
const MAX_STACK = 1_000;

const wrap = (v: bigint): bigint => v & MASK;
const signed = (v: bigint): bigint => BigInt.asIntN(64, v);

/**
 * Role: evaluates `expression` with `initial` pushed first (the CFA for DW_CFA_expression) and
 * returns the top of the stack. Throws FormatError when malformed, unsupported, or a read fails.
 */
export function evaluateExpression(expression: Buffer, ctx: ExpressionContext, initial: readonly bigint[] = []): bigint {
  const where = 'DWARF expression';
  const cur: Cursor = new Cursor(expression, 0, expression.length, where);
  const stack: bigint[] = initial.map(wrap);
  const pop = (): bigint => {
    const v = stack.pop();
    if (v === undefined) cur.fail('stack underflow');
    return v;
  };
  const push = (v: bigint): void => {
    if (stack.length >= MAX_STACK) cur.fail('stack overflow');
    stack.push(wrap(v));
  };
  const reg = (r: number): bigint => {
    const v = ctx.register(r);
    if (v === undefined) cur.fail(`register ${r} is unknown`);
    return v;
  };
  const deref = (size: number): void => {
    const a = pop();
    const v = ctx.memory(a, size);
    if (v === undefined) cur.fail(`cannot read ${size} bytes at 0x${a.toString(16)}`);
    push(v);
  };
  const bin = (f: (a: bigint, b: bigint) => bigint): void => {
    const b = pop();
    const a = pop();
    push(f(a, b));
  };
  for (let steps = 0; cur.remaining > 0; steps++) {
    if (steps >= MAX_STEPS) cur.fail('expression runs too long');
    const op = cur.u8();
    if (op >= 0x30 && op <= 0x4f) {
      push(BigInt(op - 0x30)); // DW_OP_lit0..31
      continue;
    }
    if (op >= 0x70 && op <= 0x8f) {
      const off = cur.sleb(); // DW_OP_breg0..31
      push(reg(op - 0x70) + BigInt(off));
      continue;
    }
    switch (op) {
      case 0x03: // DW_OP_addr
        push(BigInt(cur.u64()));
        break;
      case 0x06: // DW_OP_deref
        deref(8);
        break;
      case 0x08: // DW_OP_const1u
        push(BigInt(cur.u8()));
        break;
      case 0x09: // DW_OP_const1s
        push(BigInt((cur.u8() << 24) >> 24));
        break;
      case 0x0a: // DW_OP_const2u
        push(BigInt(cur.u16()));
        break;
      case 0x0b: // DW_OP_const2s
        push(BigInt(cur.s16()));
        break;
      case 0x0c: // DW_OP_const4u
        push(BigInt(cur.u32()));
        break;
      case 0x0d: // DW_OP_const4s
        push(BigInt(cur.s32()));
        break;
      case 0x0e: // DW_OP_const8u
      case 0x0f: // DW_OP_const8s
        push(cur.bytes(8).readBigUInt64LE(0));
        break;
      case 0x10: // DW_OP_constu
        push(BigInt(cur.uleb()));
        break;
      case 0x11: // DW_OP_consts
        push(BigInt(cur.sleb()));
        break;
      case 0x12: // DW_OP_dup
        {
          const v = pop();
          push(v);
          push(v);
        }
        break;
      case 0x13: // DW_OP_drop
        pop();
        break;
      case 0x14: // DW_OP_over
        {
          if (stack.length < 2) cur.fail('stack underflow');
          push(stack[stack.length - 2]!);
        }
        break;
      case 0x15: // DW_OP_pick
        {
          const i = cur.u8();
          if (i >= stack.length) cur.fail('DW_OP_pick beyond the stack');
          push(stack[stack.length - 1 - i]!);
        }
        break;
      case 0x16: // DW_OP_swap
        {
          const b = pop();
          const a = pop();
          push(b);
          push(a);
        }
        break;
      case 0x17: // DW_OP_rot
        {
          const c = pop();
          const b = pop();
          const a = pop();
          push(c);
          push(a);
          push(b);
        }
        break;
      case 0x19: // DW_OP_abs
        {
          const v = signed(pop());
          push(v < 0n ? -v : v);
        }
        break;
      case 0x1a: // DW_OP_and
        bin((a, b) => a & b);
        break;
      case 0x1b: // DW_OP_div (signed)
        bin((a, b) => {
          if (b === 0n) cur.fail('division by zero');
          return signed(a) / signed(b);
        });
        break;
      case 0x1c: // DW_OP_minus
        bin((a, b) => a - b);
        break;
      case 0x1d: // DW_OP_mod
        bin((a, b) => {
          if (b === 0n) cur.fail('division by zero');
          return a % b;
        });
        break;
      case 0x1e: // DW_OP_mul
        bin((a, b) => a * b);
        break;
      case 0x1f: // DW_OP_neg
        push(-signed(pop()));
        break;
      case 0x20: // DW_OP_not
        push(~pop());
        break;
      case 0x21: // DW_OP_or
        bin((a, b) => a | b);
        break;
      case 0x22: // DW_OP_plus
        bin((a, b) => a + b);
        break;
      case 0x23: // DW_OP_plus_uconst
        push(pop() + BigInt(cur.uleb()));
        break;
      case 0x24: // DW_OP_shl
        bin((a, b) => (b >= 64n ? 0n : a << b));
        break;
      case 0x25: // DW_OP_shr
        bin((a, b) => (b >= 64n ? 0n : a >> b));
        break;
      case 0x26: // DW_OP_shra
        bin((a, b) => signed(a) >> (b >= 64n ? 63n : b));
        break;
      case 0x27: // DW_OP_xor
        bin((a, b) => a ^ b);
        break;
      case 0x28: // DW_OP_bra
      case 0x2f: {
        // DW_OP_skip
        const off = cur.s16();
        const taken = op === 0x2f || pop() !== 0n;
        if (taken) {
          const to = cur.pos + off;
          if (to < 0 || to > expression.length) cur.fail('branch outside the expression');
          cur.pos = to;
        }
        break;
      }
      case 0x29: // DW_OP_eq
        bin((a, b) => (a === b ? 1n : 0n));
        break;
      case 0x2a: // DW_OP_ge
        bin((a, b) => (signed(a) >= signed(b) ? 1n : 0n));
        break;
      case 0x2b: // DW_OP_gt
        bin((a, b) => (signed(a) > signed(b) ? 1n : 0n));
        break;
      case 0x2c: // DW_OP_le
        bin((a, b) => (signed(a) <= signed(b) ? 1n : 0n));
        break;
      case 0x2d: // DW_OP_lt
        bin((a, b) => (signed(a) < signed(b) ? 1n : 0n));
        break;
      case 0x2e: // DW_OP_ne
        bin((a, b) => (a !== b ? 1n : 0n));
        break;
      case 0x92: {
        // DW_OP_bregx
        const r = cur.uleb();
        const off = cur.sleb();
        push(reg(r) + BigInt(off));
        break;
      }
      case 0x94: {
        // DW_OP_deref_size
        const size = cur.u8();
        if (size < 1 || size > 8) cur.fail(`DW_OP_deref_size ${size}`);
        deref(size);
        break;
      }
      case 0x96: // DW_OP_nop
        break;
      default:
        throw new FormatError(where, `unsupported DW_OP 0x${op.toString(16)} in CFI`);
    }
  }
  const top = stack.pop();
  if (top === undefined) throw new FormatError(where, 'empty stack at the end');
  return top;
}
