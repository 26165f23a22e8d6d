// Fuzzes the heap census over a real core whose memory reads back with bytes flipped: the walk,
// the reference graph, the mark and the queries on top of them raise only typed errors, end, and
// count what did not parse as corrupt stretches instead of throwing or hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/analysis/session.js';
import { HeapCensus } from '../../src/analysis/census/heap-census.js';
import { HeapGraph } from '../../src/v8/pages/heap-graph.js';
import { markReachable } from '../../src/v8/pages/reachability.js';
import { EdgeNamer } from '../../src/analysis/census/edge-names.js';
import { describeObject } from '../../src/analysis/census/object-ref.js';
import { isNodescopeError } from '../../src/util/errors.js';
import { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { FlippedSpace } from './flipped-space.js';

const SEEDS = 4;

for (const major of [testedMajors()[0]!, testedMajors().at(-1)!]) {
  test(`the census over flipped core memory raises only typed errors on Node ${major}`, { timeout: 900_000 }, async () => {
    const core = await makeCore(major, 'closures');
    const session = Session.openCore(core.corePath, { binary: core.binary });
    try {
      const layout = session.layout();
      const clean = session.census();
      let walked = 0;
      let corrupt = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const space = new FlippedSpace(session.target.space, seed * 104729, 2048 >> seed);
        const heap = new V8Heap(space, layout);
        try {
          const census = new HeapCensus(space, heap);
          const graph = new HeapGraph(space, census.table, { threads: session.target.threads });
          const marks = markReachable(graph);
          const namer = new EdgeNamer(census.table, graph);
          // Name a sample of references and describe their holders, as refs and path do.
          for (let i = 0; i < census.table.count; i += Math.max(1, Math.floor(census.table.count / 200))) {
            describeObject(census, i);
            for (const h of graph.holders(i).slice(0, 3)) namer.refs(h, i);
          }
          assert.ok(marks.live <= census.table.count);
          assert.ok(census.table.count > 0);
          corrupt += census.coverage.corrupt;
          walked++;
        } catch (e) {
          if (!isNodescopeError(e)) throw e;
        }
      }
      assert.ok(walked > 0, 'some corrupted heaps were still walked');
      assert.ok(corrupt > 0, 'flipped map words were counted as corrupt stretches');
      assert.equal(clean.coverage.corrupt, 0, 'the clean core has none');
    } finally {
      session.close();
    }
  });
}
