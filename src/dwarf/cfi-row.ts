// Runs a CIE's initial instructions and an FDE's CFA program up to one pc (DWARF 5 §6.4.2) and
// returns that pc's row: how to compute the CFA and where each register was saved. Bounded by
// the program's length; unknown opcodes are a FormatError, never a guess.
import { Cursor } from './cursor.js';
import { readEncodedPointer } from './pointer-encoding.js';
import type { Fde } from './eh-frame.js';

/** How the CFA is computed: register + offset, or a DWARF expression. */
export type CfaRule =
  | { readonly kind: 'register'; readonly register: number; readonly offset: number }
  | { readonly kind: 'expression'; readonly expression: Buffer };

/** Where the caller's value of one register is (DWARF 5 §6.4.1 register rules). */
export type RegisterRule =
  | { readonly kind: 'undefined' }
  | { readonly kind: 'same-value' }
  /** Saved at CFA + offset. */
  | { readonly kind: 'offset'; readonly offset: number }
  /** The value is CFA + offset. */
  | { readonly kind: 'val-offset'; readonly offset: number }
  /** Saved in another register. */
  | { readonly kind: 'register'; readonly register: number }
  /** Saved at the address the expression computes (CFA pushed first). */
  | { readonly kind: 'expression'; readonly expression: Buffer }
  /** The value is what the expression computes (CFA pushed first). */
  | { readonly kind: 'val-expression'; readonly expression: Buffer };

/** Role: the unwind row for one pc. Registers without an entry keep the CIE default ('same-value' on x86-64 for callee-saved ones by ABI). */
export interface CfiRow {
  readonly cfa: CfaRule;
  readonly registers: ReadonlyMap<number, RegisterRule>;
  /** DWARF register number of the return address column. */
  readonly raRegister: number;
  /** Whether the FDE describes a signal trampoline (CIE augmentation 'S'). */
  readonly isSignalFrame: boolean;
  /** The FDE's range, for callers that cache rows. */
  readonly pcBegin: number;
  readonly pcEnd: number;
}

/** DW_CFA_* opcodes (DWARF 5 table 7.29, GNU extensions from binutils include/dwarf2.def). */
export const DW_CFA = {
  advance_loc: 0x40,
  offset: 0x80,
  restore: 0xc0,
  nop: 0x00,
  set_loc: 0x01,
  advance_loc1: 0x02,
  advance_loc2: 0x03,
  advance_loc4: 0x04,
  offset_extended: 0x05,
  restore_extended: 0x06,
  undefined: 0x07,
  same_value: 0x08,
  register: 0x09,
  remember_state: 0x0a,
  restore_state: 0x0b,
  def_cfa: 0x0c,
  def_cfa_register: 0x0d,
  def_cfa_offset: 0x0e,
  def_cfa_expression: 0x0f,
  expression: 0x10,
  offset_extended_sf: 0x11,
  def_cfa_sf: 0x12,
  def_cfa_offset_sf: 0x13,
  val_offset: 0x14,
  val_offset_sf: 0x15,
  val_expression: 0x16,
  GNU_args_size: 0x2e,
  GNU_negative_offset_extended: 0x2f,
} as const;

const MAX_STATE_DEPTH = 64;
const MAX_REGISTER = 127;

interface State {
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
}

/**
 * Role: computes the row of `fde` at `pc` (an ELF vaddr inside [pcBegin, pcEnd)).
 * Throws FormatError for malformed or unsupported programs.
 */
export function cfiRowAt(fde: Fde, pc: number, where = '.eh_frame'): CfiRow {
  const cie = fde.cie;
  const initial: State = { cfa: { kind: 'register', register: 7, offset: 8 }, registers: new Map() };
  run(cie.instructions, initial, undefined, Infinity);
  const state: State = { cfa: initial.cfa, registers: new Map(initial.registers) };
  run(fde.instructions, state, initial, pc);
  return {
    cfa: state.cfa,
    registers: state.registers,
    raRegister: cie.raRegister,
    isSignalFrame: cie.isSignalFrame,
    pcBegin: fde.pcBegin,
    pcEnd: fde.pcEnd,
  };

  function run(program: Buffer, st: State, init: State | undefined, target: number): void {
    const cur: Cursor = new Cursor(program, 0, program.length, `${where} CFA program`);
    const stack: State[] = [];
    let loc = fde.pcBegin;
    const reg = (): number => {
      const r = cur.uleb();
      if (r > MAX_REGISTER) cur.fail(`register ${r} out of range`);
      return r;
    };
    const restore = (r: number): void => {
      if (init === undefined) cur.fail('DW_CFA_restore in a CIE');
      const rule = init.registers.get(r);
      if (rule) st.registers.set(r, rule);
      else st.registers.delete(r);
    };
    const advance = (delta: number): boolean => {
      loc += delta * cie.codeAlign;
      return loc > target;
    };
    while (cur.remaining > 0) {
      const op = cur.u8();
      const high = op & 0xc0;
      const low = op & 0x3f;
      if (high === DW_CFA.advance_loc) {
        if (advance(low)) return;
        continue;
      }
      if (high === DW_CFA.offset) {
        st.registers.set(low, { kind: 'offset', offset: cur.uleb() * cie.dataAlign });
        continue;
      }
      if (high === DW_CFA.restore) {
        restore(low);
        continue;
      }
      switch (op) {
        case DW_CFA.nop:
          break;
        case DW_CFA.set_loc: {
          // A relative set_loc would need the instruction's own vaddr; no toolchain emits one.
          if ((cie.fdeEncoding & 0x70) !== 0) cur.fail('DW_CFA_set_loc with a relative encoding is unsupported');
          const next = readEncodedPointer(cur, cie.fdeEncoding, { sectionVaddr: 0 });
          if (next < loc) cur.fail('DW_CFA_set_loc moves backwards');
          loc = next;
          if (loc > target) return;
          break;
        }
        case DW_CFA.advance_loc1:
          if (advance(cur.u8())) return;
          break;
        case DW_CFA.advance_loc2:
          if (advance(cur.u16())) return;
          break;
        case DW_CFA.advance_loc4:
          if (advance(cur.u32())) return;
          break;
        case DW_CFA.offset_extended: {
          const r = reg();
          st.registers.set(r, { kind: 'offset', offset: cur.uleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.offset_extended_sf: {
          const r = reg();
          st.registers.set(r, { kind: 'offset', offset: cur.sleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.GNU_negative_offset_extended: {
          const r = reg();
          st.registers.set(r, { kind: 'offset', offset: -cur.uleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.val_offset: {
          const r = reg();
          st.registers.set(r, { kind: 'val-offset', offset: cur.uleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.val_offset_sf: {
          const r = reg();
          st.registers.set(r, { kind: 'val-offset', offset: cur.sleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.restore_extended:
          restore(reg());
          break;
        case DW_CFA.undefined:
          st.registers.set(reg(), { kind: 'undefined' });
          break;
        case DW_CFA.same_value:
          st.registers.set(reg(), { kind: 'same-value' });
          break;
        case DW_CFA.register: {
          const r = reg();
          st.registers.set(r, { kind: 'register', register: reg() });
          break;
        }
        case DW_CFA.remember_state:
          if (stack.length >= MAX_STATE_DEPTH) cur.fail('DW_CFA_remember_state nested too deep');
          stack.push({ cfa: st.cfa, registers: new Map(st.registers) });
          break;
        case DW_CFA.restore_state: {
          const saved = stack.pop();
          if (saved === undefined) cur.fail('DW_CFA_restore_state without remember_state');
          st.cfa = saved.cfa;
          st.registers = saved.registers;
          break;
        }
        case DW_CFA.def_cfa: {
          const r = reg();
          st.cfa = { kind: 'register', register: r, offset: cur.uleb() };
          break;
        }
        case DW_CFA.def_cfa_sf: {
          const r = reg();
          st.cfa = { kind: 'register', register: r, offset: cur.sleb() * cie.dataAlign };
          break;
        }
        case DW_CFA.def_cfa_register: {
          const r = reg();
          const offset = st.cfa.kind === 'register' ? st.cfa.offset : 0;
          st.cfa = { kind: 'register', register: r, offset };
          break;
        }
        case DW_CFA.def_cfa_offset:
        case DW_CFA.def_cfa_offset_sf: {
          const offset = op === DW_CFA.def_cfa_offset ? cur.uleb() : cur.sleb() * cie.dataAlign;
          if (st.cfa.kind !== 'register') cur.fail('DW_CFA_def_cfa_offset after a CFA expression');
          st.cfa = { kind: 'register', register: st.cfa.register, offset };
          break;
        }
        case DW_CFA.def_cfa_expression:
          st.cfa = { kind: 'expression', expression: cur.bytes(cur.uleb()) };
          break;
        case DW_CFA.expression: {
          const r = reg();
          st.registers.set(r, { kind: 'expression', expression: cur.bytes(cur.uleb()) });
          break;
        }
        case DW_CFA.val_expression: {
          const r = reg();
          st.registers.set(r, { kind: 'val-expression', expression: cur.bytes(cur.uleb()) });
          break;
        }
        case DW_CFA.GNU_args_size:
          cur.uleb();
          break;
        default:
          cur.fail(`unsupported DW_CFA opcode 0x${op.toString(16)}`);
      }
    }
  }
}
