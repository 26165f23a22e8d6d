// Golden text of `stack -v` for the scenarios' own JS frames on every tested major (frames of
// Node's internals change with patch releases and are left out). UPDATE_GOLDEN=1 rewrites.
import { describe, test } from 'node:test';
import { Session } from '../../src/analysis/session.js';
import { stackAnalysis } from '../../src/analysis/stack.js';
import { renderStack } from '../../src/render/stack-text.js';
import { makeStyle } from '../../src/render/style.js';
import { assertGolden } from '../harness/golden.js';
import { makeCore, STACK_SCENARIOS } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';

for (const major of testedMajors()) {
  describe(`stack golden text on Node ${major}`, () => {
    // Spinning scenarios are left out: their tier and current line depend on when the core was taken.
    for (const scenario of STACK_SCENARIOS.filter((s) => !['deep-recursion', 'spin-loop', 'worker-thread'].includes(s))) {
      test(scenario, { timeout: 300_000 }, async () => {
        const r = await makeCore(major, scenario);
        const s = Session.openCore(r.corePath, { binary: r.binary });
        try {
          const threads = stackAnalysis(s).threads
            // The module wrapper frame (1:1) holds path strings whose cut length depends on the clone's path.
            .map((t) => ({ ...t, frames: t.frames.filter((f) => f.kind === 'js' && f.script?.includes('/test/scenarios/') && !(f.line === 1 && f.column === 1)) }))
            .filter((t) => t.frames.length > 0)
            .map((t) => ({ tid: 0, name: t.name, frames: t.frames }));
          const text = renderStack({ threads }, makeStyle(false), { verbose: true, all: false });
          assertGolden(major, scenario, 'stack-v', text, { ids: [r.pid, ...r.manifest.threads.map((t) => t.tid)] });
        } finally {
          s.close();
        }
      });
    }
  });
}
