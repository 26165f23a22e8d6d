import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTableAnchor, handleShiftFromSymbols } from './js-dispatch-table.js';

test('the table anchor is decoded from js_dispatch_table_address as Node 24 and 26 compile it', () => {
  // Node 24.21.0: mov rax,[rip+default_isolate_group_]; mov rax,[rax+0x3270]; lea rdx,[rax-1]
  assert.deepEqual(decodeTableAnchor(Buffer.from('488b0511a3e405488b8070320000488d50ff', 'hex')), { from: 'group', offset: 0x3270 });
  // Node 26.12.1: mov rax,[rdi+0x268]; lea rcx,[rax-1]
  assert.deepEqual(decodeTableAnchor(Buffer.from('488b8768020000488d48ff4883f94376', 'hex')), { from: 'isolate', offset: 0x268 });
  assert.deepEqual(decodeTableAnchor(Buffer.from('488b4710c3', 'hex')), { from: 'isolate', offset: 0x10 });
  assert.equal(decodeTableAnchor(Buffer.from('554889e5c3', 'hex')), undefined);
  assert.equal(decodeTableAnchor(Buffer.alloc(0)), undefined);
});

test('the handle shift follows from the table reservation in a template symbol', () => {
  const sym = (n: number): string => `_ZN2v88internal19ExternalEntityTableINS0_15JSDispatchEntryELm${n}EE9TryExtendEPNS3_5SpaceE`;
  assert.equal(handleShiftFromSymbols(['unrelated', sym(268435456)]), 8);
  assert.equal(handleShiftFromSymbols([sym(134217728)]), 9);
  assert.equal(handleShiftFromSymbols([sym(1000)]), undefined);
  assert.equal(handleShiftFromSymbols([]), undefined);
});
