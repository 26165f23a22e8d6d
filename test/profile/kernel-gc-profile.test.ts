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
import { fixture, foldedShare, runCli, startSpinner, type CliResult } from './live-helpers.js';

const HOT = 'hotChurnNodescope';
const work = mkdtempSync(join(tmpdir(), 'nodescope-kernel-gc-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const CLOSING = /^profiled: kernel \(perf, (streamed|file)\) mode \((requested with --mode perf[^\n]*)\); (\d+) samples; (\d+) of (\d+) JS frames unresolved \(([\d.]+)%\)$/m;

/** Profiles a fresh fixture process in kernel mode with `extra` options; the folded text and the CLI result. */
async function profilePerf(node: string, script: string, name: string, extra: readonly string[]): Promise<{ r: CliResult; text: string }> {
  const s = await startSpinner(node, { script: fixture(script) });
  try {
    const out = join(work, `${name}.folded`);
    const r = await runCli(['profile', '-p', String(s.pid), '--mode', 'perf', '-o', out, ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return { r, text: readFileSync(out, 'utf8') };
  } finally {
    await s.stop();
  }
}

for (const major of testedMajors()) {
  test(`node ${major}, kernel mode on a GC-heavy target: the hot function is named in most samples`, { timeout: 120_000 }, async () => {
    const { r, text } = await profilePerf((await nodeBinary(major)).path, 'gc-churn.js', `gc-${major}`, ['-d', '3']);
    const hot = foldedShare(text, HOT);
    const jit = foldedShare(text, '[JIT]');
    assert.ok(hot.total >= 20, `only ${hot.total} samples (the machine starves the target?)`);
    assert.ok(hot.share > 0.5, `${HOT} named in ${(hot.share * 100).toFixed(1)}% of ${hot.total} samples\n${r.stderr}`);
    assert.ok(jit.share < 0.5, `[JIT] in ${(jit.share * 100).toFixed(1)}% of samples`);
    const m = CLOSING.exec(r.stderr);
    assert.ok(m, `closing line missing:\n${r.stderr}`);
    assert.equal(m[1], 'streamed');
    assert.equal(Number(m[3]), hot.total, 'closing line counts the samples written');
    assert.ok(Number(m[4]) <= Number(m[5]) && Number(m[6]) < 50);
    assert.equal(r.stderr.trim().split('\n').pop(), m[0], 'it is the last line');
  });
}

test('--perf-transport file still profiles (JS frames named after sampling) and says so', { timeout: 120_000 }, async () => {
  const { r, text } = await profilePerf(process.execPath, 'spin.js', 'file', ['-d', '2', '--perf-transport', 'file']);
  assert.match(r.stderr, /into a file, JS frames named after sampling/);
  assert.equal(CLOSING.exec(r.stderr)?.[1], 'file');
  assert.ok(foldedShare(text, 'hotFunctionNodescope').share > 0.5);
});

test('a small --stack-copy cuts deep stacks under [truncated stack] and says so', { timeout: 120_000 }, async () => {
  const { r, text } = await profilePerf(process.execPath, 'spin.js', 'cut', ['-d', '2', '--stack-copy', '512']);
  assert.match(r.stderr, /note: \d+ of \d+ stacks were deeper than the 512-byte stack copy and are drawn under \[truncated stack\]/);
  assert.ok(foldedShare(text, '[truncated stack]').share > 0.5);
});
