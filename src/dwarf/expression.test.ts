import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExpression, type ExpressionContext } from './expression.js';
import { FormatError } from '../util/errors.js';

const ctx = (regs: Record<number, bigint>, mem: Record<string, bigint> = {}): ExpressionContext => ({
  register: (r) => regs[r],
  memory: (a) => mem[a.toString()],
});

test('the glibc PLT CFA expression gives rsp+8 or rsp+16 by the pc within a 16-byte slot', () => {
  // DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_lit11; DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus
  const plt = Buffer.from([0x77, 8, 0x80, 0, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22]);
  assert.equal(evaluateExpression(plt, ctx({ 7: 0x1000n, 16: 0x4020n })), 0x1008n);
  assert.equal(evaluateExpression(plt, ctx({ 7: 0x1000n, 16: 0x402bn })), 0x1010n);
});

test('the signal-frame pattern reads through memory, and DW_CFA_expression gets the CFA pushed', () => {
  // DW_OP_breg7 160; DW_OP_deref → saved rsp in the ucontext
  const e = Buffer.from([0x77, 0xa0, 0x01, 0x06]);
  assert.equal(evaluateExpression(e, ctx({ 7: 0x1000n }, { [String(0x10a0)]: 0x7777n })), 0x7777n);
  assert.equal(evaluateExpression(Buffer.from([0x23, 16]), ctx({}), [0x500n]), 0x510n);
  assert.equal(evaluateExpression(Buffer.from([0x08, 0xff, 0x09, 0xff, 0x22]), ctx({})), 0xfen);
});

test('branches, bad input and runaway loops end in FormatError', () => {
  // lit1; bra +1; lit5; lit7 → branch taken skips lit5
  assert.equal(evaluateExpression(Buffer.from([0x31, 0x28, 1, 0, 0x35, 0x37]), ctx({})), 7n);
  assert.throws(() => evaluateExpression(Buffer.from([0x2f, 0xfd, 0xff]), ctx({})), FormatError);
  assert.throws(() => evaluateExpression(Buffer.from([0x22]), ctx({})), FormatError);
  assert.throws(() => evaluateExpression(Buffer.from([0x91, 0]), ctx({})), FormatError);
  assert.throws(() => evaluateExpression(Buffer.from([0x77, 0]), ctx({})), FormatError);
  assert.throws(() => evaluateExpression(Buffer.from([0x30, 0x06]), ctx({})), FormatError);
  assert.throws(() => evaluateExpression(Buffer.alloc(0), ctx({})), FormatError);
});
