// The seed's runaway case, profiled in both modes on every tested major: the demo service spins
// forever in exports.bucketize, whose loop V8 optimized on-stack (OSR) before the profile began.
// V8's CPU profiler has no record of that code and charges the caller, caAggrValueHeatmapImage;
// the profile must still name bucketize in (nearly) all samples and, in inspector mode, say how.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { repoRoot } from '../harness/repo-paths.js';
import { foldedShare, runCli } from './live-helpers.js';

const work = mkdtempSync(join(tmpdir(), 'nodescope-runaway-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const canPerf = spawnSync('perf', ['--version'], { timeout: 5000 }).status === 0 && process.getuid?.() === 0;

/** Starts demo/server.js and sends it the request that never ends; resolves once it spins. */
async function startRunaway(node: string): Promise<ChildProcess> {
  // A free port for the inspector SIGUSR1 opens: test files profiling at once do not meet on 9229.
  const child = spawn(node, ['--inspect-port=0', join(repoRoot(), 'demo', 'server.js')], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('demo service not ready')), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /NODESCOPE_READY \d+ (\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
  });
  request({ host: '127.0.0.1', port, path: '/heatmap?max=11538462&min=11538462' }).on('error', () => undefined).end();
  // Long enough for the loop to be optimized on-stack before profiling starts.
  await new Promise((r) => setTimeout(r, 1500));
  return child;
}

for (const major of testedMajors()) {
  for (const mode of ['inspector', 'perf'] as const) {
    test(`node ${major}, ${mode} mode: the runaway loop is charged to exports.bucketize, not its caller`, { timeout: 120_000, skip: mode === 'perf' && !canPerf ? 'perf needs root and linux-perf' : false }, async () => {
      const node = await nodeBinary(major);
      const child = await startRunaway(node.path);
      try {
        const out = join(work, `${major}-${mode}.folded`);
        const r = await runCli(['profile', '-p', String(child.pid), '--mode', mode, '-d', '3', '-o', out]);
        assert.equal(r.code, 0, r.stderr);
        const folded = readFileSync(out, 'utf8');
        const { total, share } = foldedShare(folded, 'exports.bucketize');
        // Samples follow the target's CPU time (99 Hz of it): on a loaded 2-core machine the spinning
        // target gets a fraction of a CPU, so only a floor that the share below can rest on is asked.
        assert.ok(total >= 30, `${total} samples`);
        assert.ok(share >= 0.9, `bucketize in ${(100 * share).toFixed(1)}% of samples:\n${folded.slice(0, 2000)}\n${r.stderr}`);
        // The caller never keeps the loop's time as its own.
        const callerSelf = folded.split('\n').filter((l) => /caAggrValueHeatmapImage[^;]* \d+$/.test(l)).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
        assert.ok(callerSelf / total < 0.05, `caAggrValueHeatmapImage keeps ${callerSelf} of ${total} samples as self time`);
        if (mode === 'inspector') assert.match(r.stderr, /note: \d+ samples V8's profiler charged to caAggrValueHeatmapImage are shown in exports\.bucketize/);
        assert.equal(child.exitCode, null, 'the service still runs');
      } finally {
        child.kill('SIGKILL');
      }
    });
  }
}
