// Benchmark: time from start to the first printed frame of `nodescope stack` on a ~1 GB core,
// against gdb's `bt` on the same core in the same run (the baseline). Reports medians and ratios.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../test/harness/node-binaries.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../bench/fixtures/big-heap.js', import.meta.url));

/** One measured command: ms to its first frame line and to its exit. */
interface Timing {
  readonly firstMs: number;
  readonly totalMs: number;
}

function timeFirstLine(cmd: string, args: string[], isFrame: (line: string) => boolean): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first: number | undefined;
    let buf = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout.on('data', (d: Buffer) => {
      if (first !== undefined) return;
      buf += d.toString();
      if (buf.split('\n').some(isFrame)) first = performance.now() - start;
    });
    child.on('exit', () => {
      clearTimeout(timer);
      if (first === undefined) reject(new Error(`${cmd} printed no frame`));
      else resolve({ firstMs: first, totalMs: performance.now() - start });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Makes the ~1 GB core, runs both tools `reps` times, and returns a markdown section. */
export async function benchStackFirstFrame(reps = 5, heapMb = 1024): Promise<string> {
  const node = await nodeBinary(24);
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-bench-'));
  try {
    const child = spawn(node.path, ['--max-old-space-size=4096', FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODESCOPE_HEAP_MB: String(heapMb) } });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('fixture not ready')), 300_000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('NODESCOPE_READY')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    spawnSync('sh', ['-c', `echo 0x33 > /proc/${child.pid}/coredump_filter`]);
    const g = spawnSync('gcore', ['-o', join(dir, 'core'), String(child.pid)], { timeout: 600_000 });
    child.kill('SIGKILL');
    if (g.status !== 0) throw new Error('gcore failed');
    const core = join(dir, `core.${child.pid}`);
    const size = statSync(core).size;
    const ours: Timing[] = [];
    const gdb: Timing[] = [];
    for (let i = 0; i < reps; i++) {
      ours.push(await timeFirstLine(process.execPath, [CLI, 'stack', core, '--binary', node.path], (l) => /^\s+#\d+\s+(js|native):/.test(l)));
      gdb.push(await timeFirstLine('gdb', ['-batch', '-nx', '-ex', 'bt', node.path, core], (l) => /^#0 /.test(l)));
    }
    const o = median(ours.map((t) => t.firstMs));
    const b = median(gdb.map((t) => t.firstMs));
    const ot = median(ours.map((t) => t.totalMs));
    const bt = median(gdb.map((t) => t.totalMs));
    return [
      `### stack on a ${(size / 1e9).toFixed(2)} GB core (Node ${node.version}), median of ${reps}`,
      '',
      '| tool | first frame | whole run | ratio to baseline (first frame) |',
      '| --- | ---: | ---: | ---: |',
      `| gdb \`bt\` (baseline, main thread only) | ${b.toFixed(0)} ms | ${bt.toFixed(0)} ms | 1.00 |`,
      `| nodescope stack (all threads, JS + native) | ${o.toFixed(0)} ms | ${ot.toFixed(0)} ms | ${(o / b).toFixed(2)} |`,
      '',
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
