// `nodescope demo` and `nodescope stack -p` on live processes of every tested major: the stuck
// function and its argument are shown, and the process keeps running afterwards.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { testedMajors, nodeBinary } from '../harness/node-binaries.js';
import { runCli, waitForFirstOutput } from './run-cli.js';

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]);
}

for (const major of testedMajors()) {
  describe(`live on Node ${major}`, () => {
    test('demo shows the bucketize frame and its argument object', { timeout: 300_000 }, async () => {
      const node = await nodeBinary(major);
      const r = runCli(['demo'], { env: { NODESCOPE_DEMO_NODE: node.path }, timeoutMs: 240_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /js:\s+exports\.bucketize\s+\S*demo\/lib\/heatmap\.js:4:/);
      assert.match(r.stdout, /js:\s+caAggrValueHeatmapImage\s+\S*demo\/lib\/ca\/ca-agg\.js:5:/);
      assert.match(r.stdout, /\{base: 1320886447, height: 281, width: 624, max: 11538462, min: 11538462, /);
      assert.match(r.stdout, /What you saw:/);
    });

    test('stack -p leaves the process running', { timeout: 300_000 }, async () => {
      const node = await nodeBinary(major);
      const src = 'function spinHere(state) { for (;;) state.n++; } console.log("ready"); spinHere({ n: 0 });';
      const child = spawn(node.path, ['-e', src], { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        await waitForFirstOutput(child);
        const r = runCli(['stack', '-p', String(child.pid), '--json'], { timeoutMs: 240_000 });
        assert.equal(r.code, 0, r.stderr);
        const result = JSON.parse(r.stdout) as { threads: { tid: number; name: string; frames: { kind: string; function?: string }[] }[] };
        const main = result.threads.find((t) => t.tid === child.pid);
        assert.ok(main, 'the main thread is in the result');
        assert.equal(main.name, 'main');
        assert.equal(main.frames.find((f) => f.kind === 'js')?.function, 'spinHere');
        const before = cpuTicks(child.pid!);
        await new Promise((res) => setTimeout(res, 300));
        assert.ok(cpuTicks(child.pid!) > before, 'the process still runs after the snapshot');
        assert.notEqual(readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]![0], 'T');
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
}
