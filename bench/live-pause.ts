// Benchmark: how long `nodescope stack -p` keeps a ≥ 1 GB process from running, and its wall time,
// against the gcore-based stack -p (snapshot the process, read the core) in the same run. A 1 ms
// timer inside the target measures the pause (its longest gap between ticks while the command
// runs); both outputs are compared, thread by thread. Run alone: node dist/bench/live-pause.js
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../test/harness/node-binaries.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const GCORE_STACK = fileURLToPath(new URL('./gcore-stack.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../bench/fixtures/live-pause-target.js', import.meta.url));
const RUNS = 5;
const MAJOR = 22;

/** The target: resolves with its PID, RSS and a way to read the timer's longest gap. */
async function startTarget(node: string): Promise<{ child: ChildProcess; pid: number; rssMb: number; gap: () => Promise<number> }> {
  const child = spawn(node, ['--max-old-space-size=8192', FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const waiters: ((ms: number) => void)[] = [];
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    for (let m = /gap ([\d.]+)\n/.exec(out); m !== null; m = /gap ([\d.]+)\n/.exec(out)) {
      out = out.slice(m.index + m[0].length);
      waiters.shift()?.(Number(m[1]));
    }
  });
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('pause target not ready')), 300_000);
    const check = (): void => {
      const m = /NODESCOPE_READY (\d+) (\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        out = out.slice(m.index + m[0].length);
        resolve(m);
      } else setTimeout(check, 50);
    };
    check();
  });
  const gap = (): Promise<number> =>
    new Promise((resolve) => {
      waiters.push(resolve);
      child.kill('SIGUSR2');
    });
  return { child, pid: Number(ready[1]), rssMb: Number(ready[2]), gap };
}

function run(cmd: string, args: string[]): Promise<{ ms: number; stdout: string; code: number | null }> {
  return new Promise((resolve) => {
    const start = performance.now();
    let stdout = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('exit', (code) => resolve({ ms: performance.now() - start, stdout, code }));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Thread stacks without what differs between two reads of an idle process by design (nothing, ideally). */
function stacksOf(json: string): string {
  const r = JSON.parse(json) as { threads: { tid: number; name: string; frames: unknown[] }[] };
  return JSON.stringify([...r.threads].sort((a, b) => a.tid - b.tid).map((t) => ({ tid: t.tid, frames: t.frames })));
}

/** Role: measures live and gcore-based stack -p on a ≥ 1 GB process; returns the BENCHMARKS.md section. */
export async function benchLivePause(): Promise<string> {
  const node = await nodeBinary(MAJOR);
  const t = await startTarget(node.path);
  try {
    const live = { ms: [] as number[], gap: [] as number[] };
    const gcore = { ms: [] as number[], gap: [] as number[] };
    const idle: number[] = [];
    let identical = true;
    let difference = '';
    for (let i = 0; i < RUNS; i++) {
      await t.gap();
      await new Promise((r) => setTimeout(r, 300));
      idle.push(await t.gap());
      const a = await run(process.execPath, [CLI, 'stack', '-p', String(t.pid), '--json']);
      live.gap.push(await t.gap());
      live.ms.push(a.ms);
      const b = await run(process.execPath, [GCORE_STACK, String(t.pid)]);
      gcore.gap.push(await t.gap());
      gcore.ms.push(b.ms);
      if (a.code !== 0 || b.code !== 0) throw new Error(`stack -p failed (live ${a.code}, gcore ${b.code})`);
      if (stacksOf(a.stdout) !== stacksOf(b.stdout)) {
        identical = false;
        difference ||= `run ${i + 1}`;
      }
    }
    const lp = median(live.gap), gp = median(gcore.gap), lw = median(live.ms), gw = median(gcore.ms);
    const f = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
    return [
      `### Live stack -p pause (Node ${node.version}, ${t.rssMb} MB RSS, idle target with a 1 ms timer), median of ${RUNS}`,
      '',
      'Reproduce: `npm run bench -- live` (target: `bench/fixtures/live-pause-target.js`). The pause is the longest gap',
      "between ticks of the target's own 1 ms timer while the command ran (an idle 300 ms window gives the timer's noise).",
      'The baseline is the gcore-based `stack -p` nodescope had before LiveTarget (`bench/gcore-stack.ts`: gcore, then the core path).',
      '',
      '| what | target paused (timer gap) | wall | ratio |',
      '| --- | ---: | ---: | ---: |',
      `| idle window (timer noise) | ${f(median(idle))} | – | |`,
      `| gcore-based stack -p (baseline) | ${f(gp)} | ${f(gw)} | 1.00 |`,
      `| \`nodescope stack -p\` (LiveTarget) | ${f(lp)} | ${f(lw)} | pause ${(gp / lp).toFixed(0)}× shorter, wall ${(gw / lw).toFixed(1)}× shorter |`,
      '',
      `Output identical to the core path's (every thread's frames, from the same idle process): ${identical ? 'yes, in every run' : `no (first in ${difference})`}.`,
      'Goals (issue 8): pause ≤ 50 ms for the main thread, wall ≤ 1 s, output identical.',
      '',
    ].join('\n');
  } finally {
    t.child.kill('SIGKILL');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchLivePause().then((s) => process.stdout.write(s + '\n'), (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
