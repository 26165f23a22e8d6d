// `frame` on real cores: the closures scenario's innermost JS frame shows its arguments and the
// variables it closes over, with the values the scenario recorded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { frameReport } from '../../src/analysis/frame-report.js';
import { Session } from '../../src/analysis/session.js';
import { stackAnalysis } from '../../src/analysis/stack.js';
import { renderValue } from '../../src/render/value/value-text.js';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';

for (const major of testedMajors()) {
  describe(`frame on Node ${major}`, () => {
    test('closure variables of the innermost frame', { timeout: 300_000 }, async () => {
      const r = await makeCore(major, 'closures');
      const s = Session.openCore(r.corePath, { binary: r.binary });
      try {
        const main = stackAnalysis(s, { tid: r.pid }).threads[0]!;
        const index = main.frames.findIndex((f) => f.kind === 'js');
        assert.equal(main.frames[index]!.function, r.manifest.stacks[0]!.frames[0]!.name);
        const rep = frameReport(s, r.pid, index);
        assert.equal(rep.args.length, r.manifest.stacks[0]!.frames[0]!.argc);
        const vars = new Map(rep.scopes.flatMap((sc) => sc.variables.map((v) => [v.name, renderValue(v.value, { breakLength: Infinity })])));
        const captured = r.manifest.values?.captured as { label: string; count: number; history: number[] };
        assert.equal(vars.get('label'), `'${captured.label}'`);
        assert.equal(vars.get('count'), String(captured.count));
        assert.equal(vars.get('history'), `[ ${captured.history.join(', ')} ]`);
        assert.throws(() => frameReport(s, r.pid, 99999), /there is no frame 99999/);
      } finally {
        s.close();
      }
    });

    test('a frame whose receiver is the global object names it and shows its properties', { timeout: 300_000 }, async () => {
      const r = await makeCore(major, 'async-await');
      const s = Session.openCore(r.corePath, { binary: r.binary });
      try {
        const main = stackAnalysis(s, { tid: r.pid }).threads[0]!;
        // The microtask that resumes the async function runs with the global proxy as receiver.
        const found = main.frames
          .map((f, i) => ({ f, i }))
          .filter(({ f }) => f.kind === 'js' && f.this !== undefined)
          .map(({ i }) => frameReport(s, r.pid, i).this!)
          .find((v) => v.stringTag === 'global');
        assert.ok(found, 'a JS frame with the global object as this');
        const text = renderValue(found, { breakLength: Infinity, locations: false });
        assert.match(text, /^<ref \*1> Object \[global\] \{ global: \[Circular \*1\], /);
        assert.match(text, /setTimeout: \{ \[Function: setTimeout\] \[Symbol\(nodejs\.util\.promisify\.custom\)\]: \[Getter\] \}/);
      } finally {
        s.close();
      }
    });
  });
}
