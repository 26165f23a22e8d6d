// API objects (JS wrappers of C++ objects) show their embedder fields: on the event-loop core of
// every tested major, each TCP handle object's fields are read from the map's layout, and the
// second one (Node's BaseObject kSlot) must point at a C++ object whose first word is the vptr
// of node::TCPWrap, from the node binary's own vtable symbol: an oracle that shares none of the
// V8 model. print names that class itself, from the session's index of the binary's vtables.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Session } from '../../src/analysis/session.js';
import { findInstances } from '../../src/analysis/census/instances.js';
import { inspectValue } from '../../src/analysis/inspect/inspect-value.js';
import { renderValue } from '../../src/render/value/value-text.js';
import { valueToJson } from '../../src/render/value/value-json.js';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';

const TCP_WRAP_VTABLE = '_ZTVN4node7TCPWrapE';

for (const major of testedMajors()) {
  test(`TCP handle objects show their embedder fields, pointing at node::TCPWrap, on Node ${major}`, { timeout: 300_000 }, async () => {
    const core = await makeCore(major, 'event-loop');
    const session = Session.openCore(core.corePath, { binary: core.binary });
    try {
      const vtable = session.binary().symbolsWithPrefix([TCP_WRAP_VTABLE]).find((s) => s.name === TCP_WRAP_VTABLE);
      assert.ok(vtable, `${TCP_WRAP_VTABLE} in the node binary`);
      const vptr = BigInt(vtable.value + session.binaryBias() + 16);
      const rows = findInstances(session, 'TCP', { limit: 50 }).instances;
      let wrapped = 0;
      for (const row of rows) {
        const address = typeof row.address === 'string' ? parseInt(row.address, 16) : row.address;
        const node = inspectValue(session, address, { depth: 0 });
        assert.ok(node.embedderFields !== undefined && node.embedderFields.length >= 2, `TCP at ${row.address} has embedder fields`);
        const slot = BigInt(node.embedderFields[1]!.value);
        if ((slot & 7n) !== 0n) continue; // the prototype's template instance: fields hold undefined
        const word = session.target.space.tryRead(Number(slot), 8);
        assert.ok(word, `kSlot 0x${slot.toString(16)} is mapped`);
        assert.equal(word.readBigUInt64LE(0), vptr, `TCP at ${row.address}: kSlot points at a node::TCPWrap`);
        // print names that class from the same vptr, through the session's vtable index.
        assert.equal(node.embedderFields[1]!.nativeClass, 'node::TCPWrap');
        assert.equal(node.embedderFields[0]!.nativeClass, undefined);
        assert.match(renderValue(node), /\[\[EmbedderFields\]\]: \[\s+0x[0-9a-f]+,\s+0x[0-9a-f]+ \(node::TCPWrap\)/);
        assert.deepEqual((valueToJson(node) as { embedderFields: string[] }).embedderFields, node.embedderFields);
        wrapped++;
      }
      assert.ok(wrapped >= 2, `TCP handles with a C++ object: ${wrapped}`);
    } finally {
      session.close();
    }
  });
}
