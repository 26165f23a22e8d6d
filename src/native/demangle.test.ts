import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Demangler, isMangled } from './demangle.js';

test('C++ names demangle; C names, builtins and garbage come back as they are', () => {
  const d = new Demangler();
  assert.equal(d.available, true);
  assert.equal(d.demangle('_ZN4node5StartEiPPc'), 'node::Start(int, char**)');
  assert.equal(d.demangle('_ZN2v88internal31Runtime_SetPropertyWithReceiverEiPmPNS0_7IsolateE'), 'v8::internal::Runtime_SetPropertyWithReceiver(int, unsigned long*, v8::internal::Isolate*)');
  assert.equal(d.demangle('_ZN2v88internal4Heap10CollectAllEv.cold'), 'v8::internal::Heap::CollectAll() [clone .cold]');
  assert.equal(d.demangle('uv_run'), 'uv_run');
  assert.equal(d.demangle('Builtins_JSEntry'), 'Builtins_JSEntry');
  assert.equal(d.demangle('_Zgarbage'), '_Zgarbage');
  assert.equal(d.demangle('_Z' + 'N1a'.repeat(10_000)), '_Z' + 'N1a'.repeat(10_000));
});

test('empty parameter packs print as c++filt prints them', () => {
  const d = new Demangler();
  // SharedMacroAssemblerBase::Psllw<XMMRegister, unsigned char>(XMMRegister, unsigned char, <empty pack>)
  assert.equal(d.demangle('_ZN2v88internal24SharedMacroAssemblerBase5PsllwINS0_11XMMRegisterEhJEEEvT_T0_DpT1_'), 'v8::internal::SharedMacroAssemblerBase::Psllw<v8::internal::XMMRegister, unsigned char>(v8::internal::XMMRegister, unsigned char)');
});

test('two Demanglers work side by side (no shared module state)', () => {
  const a = new Demangler();
  const b = new Demangler();
  assert.equal(a.demangle('_Z3foov'), 'foo()');
  assert.equal(b.demangle('_Z3barv'), 'bar()');
  assert.equal(a.demangle('_Z3bazi'), 'baz(int)');
  assert.equal(isMangled('_ZN1a1bEv'), true);
  assert.equal(isMangled('main'), false);
});
