// Benchmark: `leaks` (malloc walk and conservative mark over every writable byte outside the
// malloc heap) against the heap census (`objects`) on the same core: the native-memory scenario
// under Node 20 (an N-API addon's leaked and kept blocks, 32 MiB of Buffers, a 16-thread pool;
// its core is ~1.7 GB because of the threads' reserved stacks and V8's reservations). Goal
// (issue 13): leaks ≤ 3× the census.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCore } from '../test/harness/make-core.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const RSS_PRELOAD = fileURLToPath(new URL('./rss-reporter.js', import.meta.url));
const CACHE = fileURLToPath(new URL('../../.cache/bench/', import.meta.url));
const RUNS = 3;

function runCli(args: readonly string[]): { ms: number; rssMb: number; out: string } {
  mkdirSync(CACHE, { recursive: true });
  const rssFile = join(CACHE, `rss-leaks-${process.pid}`);
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_PRELOAD, CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', NODESCOPE_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 900_000,
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`nodescope ${args.join(' ')} failed: ${r.stderr?.toString().slice(0, 400)}`);
  const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  rmSync(rssFile, { force: true });
  return { ms, rssMb, out: r.stdout.toString() };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Role: runs the benchmark; returns its BENCHMARKS.md section. */
export async function benchLeaks(): Promise<string> {
  const core = await makeCore(20, 'native-memory');
  const gb = statSync(core.corePath).size / 1e9;
  const load0 = loadavg()[0]!;
  const census: number[] = [];
  const leaks: number[] = [];
  let censusRss = 0;
  let leaksRss = 0;
  let scanned = { chunks: 0, bytes: 0, rootBytes: 0 };
  for (let i = 0; i < RUNS; i++) {
    const c = runCli(['objects', core.corePath, '--binary', core.binary, '--json']);
    census.push(c.ms);
    censusRss = Math.max(censusRss, c.rssMb);
    const l = runCli(['leaks', core.corePath, '--binary', core.binary, '--json']);
    leaks.push(l.ms);
    leaksRss = Math.max(leaksRss, l.rssMb);
    scanned = (JSON.parse(l.out) as { scanned: typeof scanned }).scanned;
  }
  const load1 = loadavg()[0]!;
  const ratio = median(leaks) / median(census);
  return [
    `### leaks vs the census on a ${gb.toFixed(2)} GB core (Node ${core.nodeVersion}, the native-memory scenario), median of ${RUNS}`,
    '',
    'Reproduce: `npm run bench -- leaks` (the core is the scenario harness\'s, cached under `.cache/cores/`). Each run is a whole CLI process (open, walk, print JSON). Page cache warm.',
    `Load average (1 min) around the run: ${load0.toFixed(1)}–${load1.toFixed(1)} on 2 cores.`,
    '',
    '| what | wall | peak RSS | scanned |',
    '| --- | ---: | ---: | --- |',
    `| \`nodescope objects core --json\` (heap census, baseline) | ${median(census).toFixed(0)} ms | ${censusRss.toFixed(0)} MB | |`,
    `| \`nodescope leaks core --json\` (malloc walk + conservative mark) | ${median(leaks).toFixed(0)} ms | ${leaksRss.toFixed(0)} MB | ${scanned.chunks} chunks (${(scanned.bytes / 1e6).toFixed(1)} MB), ${(scanned.rootBytes / 1e6).toFixed(0)} MB of roots |`,
    '',
    `leaks / census = ${ratio.toFixed(2)}× (goal, issue 13: ≤ 3×).`,
    '',
  ].join('\n');
}
