// Overhead of `nodescope profile` on a CPU-bound target: the time a fixed amount of JS work
// takes while profiled, in each mode at 99 Hz and 999 Hz, divided by the time the same work
// takes unprofiled in the same run (runs interleaved, medians of REPEAT). Prints JSON, then a
// markdown table, to stdout. Run: node dist/bench/profile-overhead.js [repeat]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleWithInspector } from '../src/profile/live/inspector-sampler.js';
import { sampleWithPerf } from '../src/profile/perf/perf-sampler.js';
import { V8_HEAP_RESOLVERS } from '../src/profile/perf/v8-heap-resolver.js';
import { totalSamples } from '../src/profile/profile-model.js';

// The target: waits for SIGUSR2, then does a fixed amount of CPU work, prints its duration, exits.
const TARGET = `'use strict';
function work(n) { let x = 0; for (let i = 0; i < n; i++) x = (x * 31 + (i ^ (x >>> 3))) % 1000003; return x; }
function batch() { let s = 0; for (let k = 0; k < ${40}; k++) s = (s + work(2_000_000)) % 1000003; return s; }
batch();
process.on('SIGUSR2', () => {
  const t0 = process.hrtime.bigint();
  let s = 0;
  for (let r = 0; r < Number(process.env.ROUNDS); r++) s = (s + batch()) % 1000003;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write('done ' + ms.toFixed(1) + ' ' + s + '\\n');
  process.exit(0);
});
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

interface Run { mode: string; hz: number; ms: number; samples: number }

const HARD_TIMEOUT_MS = 180_000;

function startTarget(script: string, rounds: number): Promise<{ pid: number; go: () => void; done: Promise<number> }> {
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ROUNDS: String(rounds) } });
  const kill = setTimeout(() => child.kill('SIGKILL'), HARD_TIMEOUT_MS);
  let out = '';
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => { readyResolve = r; });
  const done = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/^ready$/m.test(out)) readyResolve();
      const m = /^done ([\d.]+)/m.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => { clearTimeout(kill); if (!/^done/m.test(out)) reject(new Error('target died: ' + out)); });
  });
  return ready.then(() => ({ pid: child.pid!, go: () => child.kill('SIGUSR2'), done }));
}

async function once(script: string, rounds: number, mode: 'none' | 'inspector' | 'perf', hz: number): Promise<Run> {
  const t = await startTarget(script, rounds);
  if (mode === 'none') {
    t.go();
    return { mode, hz: 0, ms: await t.done, samples: 0 };
  }
  let went = false;
  const log = (line: string): void => {
    if (!went && /perf record is sampling|opened the inspector/.test(line)) { went = true; t.go(); }
  };
  const opts = { hz, durationMs: Infinity, log };
  const profile = mode === 'perf'
    ? await sampleWithPerf(t.pid, { ...opts, stackCopyBytes: 32 * 1024, resolverFactory: V8_HEAP_RESOLVERS })
    : await sampleWithInspector(t.pid, opts);
  return { mode, hz, ms: await t.done, samples: totalSamples(profile) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const repeat = Number(process.argv[2] ?? 3);
  const rounds = Number(process.argv[3] ?? 4);
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-bench-'));
  const script = join(dir, 'target.js');
  writeFileSync(script, TARGET);
  const configs: Array<['inspector' | 'perf', number]> = [['inspector', 99], ['inspector', 999], ['perf', 99], ['perf', 999]];
  const base: number[] = [];
  const runs = new Map<string, Run[]>();
  try {
    for (let r = 0; r < repeat; r++) {
      for (const [mode, hz] of configs) {
        base.push((await once(script, rounds, 'none', 0)).ms);
        const run = await once(script, rounds, mode, hz);
        const key = `${mode}@${hz}`;
        runs.set(key, [...(runs.get(key) ?? []), run]);
        process.stderr.write(`${key}: ${run.ms.toFixed(0)} ms (${run.samples} samples); unprofiled ${base[base.length - 1]!.toFixed(0)} ms\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const baseMs = median(base);
  const rows = configs.map(([mode, hz]) => {
    const rs = runs.get(`${mode}@${hz}`)!;
    const ms = median(rs.map((x) => x.ms));
    return { mode, hz, medianMs: Math.round(ms), ratio: Number((ms / baseMs).toFixed(3)), samples: median(rs.map((x) => x.samples)) };
  });
  const result = { node: process.version, repeat, unprofiledMedianMs: Math.round(baseMs), unprofiledRuns: base.map(Math.round), rows };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n\n');
  process.stdout.write(`### Profiling overhead (node ${process.version}, CPU-bound target, median of ${repeat})\n\n`);
  process.stdout.write(`Unprofiled: ${Math.round(baseMs)} ms.\n\n| mode | Hz | profiled ms | slowdown | samples |\n|---|---|---|---|---|\n`);
  for (const r of rows) process.stdout.write(`| ${r.mode === 'perf' ? 'kernel (perf)' : 'inspector'} | ${r.hz} | ${r.medianMs} | ${((r.ratio - 1) * 100).toFixed(1)}% (×${r.ratio}) | ${r.samples} |\n`);
}

await main();
