// perfmap on every tested major, held to V8's own perf map: the spinning fixture runs with
// --perf-basic-prof (V8 appends a line for every code object it creates), and every line we
// build from the live heap must be one of V8's (same start, same size), the hot function's by
// name too. Then the default path without --perf-basic-prof, and --watch rewriting until Ctrl-C.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { runCli, startSpinner } from '../profile/live-helpers.js';
import { runTraceCli } from '../trace/trace-helpers.js';

function lines(path: string): Array<{ start: string; size: string; name: string }> {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => {
    const [start, size, ...name] = l.split(' ');
    return { start: start!, size: size!, name: name.join(' ') };
  });
}

for (const major of testedMajors()) {
  const bin = await nodeBinary(major);
  test(`node ${bin.version}: every perf map line built from the heap is one V8 wrote itself`, { timeout: 90_000 }, async () => {
    // --perf-basic-prof also logs code events: to a file of ours, not the working directory.
    const v8log = join(tmpdir(), `nodescope-perfmap-v8-${process.pid}-${major}.log`);
    const s = await startSpinner(bin.path, { args: ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${v8log}`] });
    const ours = `/tmp/nodescope-perfmap-test-${s.pid}.map`;
    try {
      const refused = await runCli(['perfmap', '-p', String(s.pid)]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /runs with --perf-basic-prof/);
      const r = await runCli(['perfmap', '-p', String(s.pid), '-o', ours]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^wrote .*: \d+ JIT code ranges of \d+ functions/m);
      const v8 = new Set(lines(`/tmp/perf-${s.pid}.map`).map((l) => `${l.start} ${l.size}`));
      const mine = lines(ours);
      assert.ok(mine.length >= 1, 'some JIT code');
      for (const l of mine) {
        assert.match(l.start, /^[0-9a-f]+$/);
        assert.ok(v8.has(`${l.start} ${l.size}`), `${l.start} ${l.size} ${l.name} is not in V8's map`);
      }
      const hot = mine.filter((l) => /hotFunctionNodescope/.test(l.name));
      assert.equal(hot.length, 1, 'the hot function has one current code');
      assert.match(hot[0]!.name, /^JS:[*+^]hotFunctionNodescope file:\/\/.*spin\.js:\d+:\d+$/);
      const v8Hot = lines(`/tmp/perf-${s.pid}.map`).find((l) => l.start === hot[0]!.start);
      // V8 ≥ 13 marks context-specialized TurboFan code `*'`; we do not tell it apart and write `*`.
      assert.equal(hot[0]!.name, v8Hot!.name.replace(/^JS:\*'/, 'JS:*'), 'named as V8 names it');
    } finally {
      await s.stop();
      rmSync(ours, { force: true });
      rmSync(v8log, { force: true });
      rmSync(`/tmp/perf-${s.pid}.map`, { force: true });
    }
  });
}

test('perfmap writes /tmp/perf-PID.map by default, and --watch rewrites it until Ctrl-C', { timeout: 90_000 }, async () => {
  const bin = await nodeBinary(testedMajors().slice(-1)[0]!);
  const s = await startSpinner(bin.path);
  const path = `/tmp/perf-${s.pid}.map`;
  try {
    const r = await runCli(['perfmap', '-p', String(s.pid)]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lines(path).some((l) => /hotFunctionNodescope/.test(l.name)));
    rmSync(path);
    let child: import('node:child_process').ChildProcess | undefined;
    const w = await runTraceCli(['perfmap', '-p', String(s.pid), '--watch', '--interval', '0.5'], {
      onSpawn: (c) => { child = c; },
      onStderr: (all) => { if ((all.match(/^wrote /gm) ?? []).length === 2) child!.kill('SIGINT'); },
    });
    assert.equal((w.stderr.match(/^wrote /gm) ?? []).length, 2, w.stderr);
    assert.ok(w.code === 0 || w.code === 130, `exit ${w.code}`);
    assert.ok(existsSync(path));
    assert.equal(existsSync(`${path}.nodescope-${child!.pid}`), false, 'no partial file left');
  } finally {
    await s.stop();
    rmSync(path, { force: true });
  }
});
