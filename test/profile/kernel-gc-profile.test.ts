// Kernel mode names JS frames while sampling: on a target whose hot function allocates heavily
// (scavenges and mark-compacts move its JSFunction; a fresh closure every 20 ms), the hot function
// must still be named in most samples, with no [JIT] majority, on every tested Node major. Also
// checks the closing line (mode and why, samples, unresolved JS share) and the file transport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { fixture, foldedShare, runCli, startSpinner } from './live-helpers.js';

const HOT = 'hotChurnNodescope';
const work = mkdtempSync(join(tmpdir(), 'nodescope-kernel-gc-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const CLOSING = /^profiled: kernel \(perf, (streamed|file)\) mode \((requested with --mode perf[^\n]*)\); (\d+) samples; (\d+) of (\d+) JS frames unresolved \(([\d.]+)%\)$/m;

for (const major of testedMajors()) {
  test(`node ${major}, kernel mode on a GC-heavy target: the hot function is named in most samples`, { timeout: 120_000 }, async () => {
    const bin = await nodeBinary(major);
    const s = await startSpinner(bin.path, { script: fixture('gc-churn.js') });
    try {
      const out = join(work, `gc-${major}.folded`);
      const r = await runCli(['profile', '-p', String(s.pid), '-d', '3', '--mode', 'perf', '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      const text = readFileSync(out, 'utf8');
      const hot = foldedShare(text, HOT);
      const jit = foldedShare(text, '[JIT]');
      assert.ok(hot.total >= 50, `only ${hot.total} samples`);
      assert.ok(hot.share > 0.5, `${HOT} named in ${(hot.share * 100).toFixed(1)}% of ${hot.total} samples\n${r.stderr}`);
      assert.ok(jit.share < 0.5, `[JIT] in ${(jit.share * 100).toFixed(1)}% of samples`);
      const m = CLOSING.exec(r.stderr);
      assert.ok(m, `closing line missing:\n${r.stderr}`);
      assert.equal(m[1], 'streamed');
      assert.equal(Number(m[3]), hot.total, 'closing line counts the samples written');
      assert.ok(Number(m[4]) <= Number(m[5]) && Number(m[6]) < 50);
      assert.equal(r.stderr.trim().split('\n').pop(), m[0], 'it is the last line');
    } finally {
      await s.stop();
    }
  });
}

test('--perf-transport file still profiles (JS frames named after sampling) and says so', { timeout: 120_000 }, async () => {
  const s = await startSpinner(process.execPath);
  try {
    const out = join(work, 'file.folded');
    const r = await runCli(['profile', '-p', String(s.pid), '-d', '2', '--mode', 'perf', '--perf-transport', 'file', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /into a file, JS frames named after sampling/);
    assert.equal(CLOSING.exec(r.stderr)?.[1], 'file');
    assert.ok(foldedShare(readFileSync(out, 'utf8'), 'hotFunctionNodescope').share > 0.5);
  } finally {
    await s.stop();
  }
});

test('a small --stack-copy cuts deep stacks under [truncated stack] and says so', { timeout: 120_000 }, async () => {
  const s = await startSpinner(process.execPath);
  try {
    const out = join(work, 'cut.folded');
    const r = await runCli(['profile', '-p', String(s.pid), '-d', '2', '--mode', 'perf', '--stack-copy', '512', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /note: \d+ of \d+ stacks were deeper than the 512-byte stack copy and are drawn under \[truncated stack\]/);
    assert.ok(foldedShare(readFileSync(out, 'utf8'), '[truncated stack]').share > 0.5);
  } finally {
    await s.stop();
  }
});
