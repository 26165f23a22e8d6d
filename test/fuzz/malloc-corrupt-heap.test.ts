// Fuzzes glibc's heap walk and the leak mark over the native-memory core with bytes flipped
// (FlippedSpace): the walk and the mark raise only typed errors and end, whatever the chunk
// headers, arena fields and tcache lists now say.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Session } from '../../src/analysis/session.js';
import { markChunks } from '../../src/analysis/leaks/find-leaks.js';
import { MallocHeapModel } from '../../src/native/glibc/malloc-heap-model.js';
import { isNodescopeError } from '../../src/util/errors.js';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { FlippedSpace } from './flipped-space.js';

const SEEDS = 4;

test('the malloc walk and the leak mark over flipped core memory raise only typed errors', { timeout: 900_000 }, async () => {
  const core = await makeCore(testedMajors()[0]!, 'native-memory');
  const session = Session.openCore(core.corePath, { binary: core.binary });
  try {
    const g = session.glibc();
    const clean = session.mallocHeap();
    const libcMaps = session.target.space.mappings().filter((m) => m.path === g.path);
    let walked = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      // From about 1 byte in 512 down to 1 in 64 flipped.
      const space = new FlippedSpace(session.target.space, seed * 7919, 1024 >> seed);
      try {
        const m = MallocHeapModel.build(space, g, libcMaps);
        assert.ok(m.count <= clean.count * 4 + 1024, 'no runaway chain');
        markChunks({ space, threads: session.target.threads }, m);
        walked++;
      } catch (e) {
        if (!isNodescopeError(e)) throw e;
      }
    }
    assert.ok(walked > 0, 'at least one corrupted heap was walked to the end');
  } finally {
    session.close();
  }
});
