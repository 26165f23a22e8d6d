// Whole-heap smoke test of `print` (mdb_v8's dumpjsobjects, until the census lands): every
// object reachable from the menagerie root, printed one by one (plus whatIs, and function,
// source and closure reports for functions), with a node cap and zero untyped errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/analysis/session.js';
import { closureReport, functionReport, sourceReport } from '../../src/analysis/inspect/function-report.js';
import { inspectAddress } from '../../src/analysis/inspect/inspect-value.js';
import { whatIs } from '../../src/analysis/inspect/what-is.js';
import type { ValueNode } from '../../src/analysis/inspect/value-node.js';
import { renderValue } from '../../src/render/value/value-text.js';
import { renderValueJson } from '../../src/render/value/value-json.js';
import { isNodescopeError } from '../../src/util/errors.js';
import { prototypeOf } from '../../src/v8/objects/object-class.js';
import { testedMajors } from '../harness/node-binaries.js';
import { menagerieCore } from './menagerie-core.js';
import { findMenagerieRoot } from './menagerie-root.js';

/** Most objects printed per core. */
const OBJECT_CAP = 4000;

/** Addresses of every heap value below `node` (one level, since each is then printed itself). */
function childAddresses(node: ValueNode, out: number[]): void {
  const visit = (n: ValueNode | undefined): void => {
    if (n === undefined) return;
    if (n.address !== undefined) out.push(n.address);
  };
  for (const p of node.properties ?? []) visit(p.value);
  for (const p of node.internal ?? []) visit(p.value);
  for (const e of node.elements ?? []) if ('address' in e) visit(e as ValueNode);
  for (const e of node.entries ?? []) {
    visit(e.key);
    visit(e.value);
  }
}

for (const major of testedMajors()) {
  test(`every object reachable from the menagerie root prints on Node ${major}`, { timeout: 600_000 }, async () => {
    const core = await menagerieCore(major);
    const session = Session.openCore(core.corePath, { binary: core.binary });
    try {
      const heap = session.heap();
      const queue = [findMenagerieRoot(heap, core.manifest.marker)];
      const seen = new Set<number>(queue);
      const typed: string[] = [];
      let functions = 0;
      let printed = 0;
      while (queue.length > 0 && printed < OBJECT_CAP) {
        const address = queue.shift()!;
        printed++;
        const node = inspectAddress(heap, address, { depth: 1, maxElements: 64, showHidden: true });
        const extra: number[] = [];
        const o = heap.object(address);
        const proto = o !== undefined && heap.isJSReceiver(o.type) ? prototypeOf(heap, o) : undefined;
        if (proto !== undefined && proto !== 'null') extra.push(proto.address);
        assert.ok(renderValue(node).length > 0);
        assert.ok(renderValueJson(node).length > 0);
        assert.equal(whatIs(session, address).kind, 'object');
        if (node.type === 'Function') {
          functions++;
          for (const run of [() => functionReport(session, address), () => sourceReport(session, address, 1), () => closureReport(session, address)]) {
            try {
              const r = run();
              // Closures lead on to the values their contexts hold.
              if ('scopes' in r) for (const s of r.scopes) for (const v of s.variables) if (v.value.address !== undefined) extra.push(v.value.address);
            } catch (e) {
              if (!isNodescopeError(e)) throw e;
              typed.push(e.code);
            }
          }
        }
        const next: number[] = [...extra];
        childAddresses(node, next);
        for (const a of next) {
          if (!seen.has(a)) {
            seen.add(a);
            queue.push(a);
          }
        }
      }
      assert.ok(printed >= 1000, `only ${printed} objects reachable`);
      assert.ok(functions >= 5, `only ${functions} functions reached`);
    } finally {
      session.close();
    }
  });
}
