// Fuzzes `print` over a real core: an AddressSpace wrapper flips bytes in the heap pages the
// model reads (deterministically per seed), then the root is printed with whatIs and the reports
// around it. Only typed errors may escape, and every case ends (bounded loops everywhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/analysis/session.js';
import { inspectAddress } from '../../src/analysis/inspect/inspect-value.js';
import { whatIsIn } from '../../src/analysis/inspect/what-is.js';
import { renderValue } from '../../src/render/value/value-text.js';
import { isNodescopeError } from '../../src/util/errors.js';
import { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { testedMajors } from '../harness/node-binaries.js';
import { menagerieCore } from './menagerie-core.js';
import { findMenagerieRoot } from './menagerie-root.js';
import { FlippedSpace } from '../fuzz/flipped-space.js';

const SEEDS = 24;

for (const major of testedMajors()) {
  test(`printing over flipped heap bytes raises only typed errors on Node ${major}`, { timeout: 600_000 }, async () => {
    const core = await menagerieCore(major);
    const session = Session.openCore(core.corePath, { binary: core.binary });
    try {
      const root = findMenagerieRoot(session.heap(), core.manifest.marker);
      const layout = session.layout();
      let typed = 0;
      let printed = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        // Denser flips for later seeds: 1 in 4096 bytes down to 1 in 64.
        const rate = Math.max(64, 4096 >> Math.floor(seed / 4));
        const heap = new V8Heap(new FlippedSpace(session.target.space, seed * 7919, rate), layout);
        try {
          const node = inspectAddress(heap, root, { depth: 3, maxNodes: 3000, maxElements: 100 });
          renderValue(node);
          printed++;
          for (let k = 0; k < 8; k++) whatIsIn(heap, root + k * 8 + 3 * seed);
        } catch (e) {
          if (!isNodescopeError(e)) throw e;
          typed++;
        }
      }
      assert.equal(printed + typed, SEEDS);
      assert.ok(printed > 0, 'no fuzz case printed anything');
    } finally {
      session.close();
    }
  });
}
