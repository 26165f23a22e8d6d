// Benchmark: `leaks` (malloc walk and conservative mark over every writable byte outside the
// malloc heap) against the heap census (`objects`) on the same core: the census benchmark's
// 1.9 GB core (its heap is nearly all JS objects, every word of which is a root to scan), and the
// native-memory scenario under Node 20 (an N-API addon's leaked and kept blocks, 28 MiB of
// Buffers, a 16-thread pool; ~1.8 GB mapped, mostly reservations). Goal (issue 13): ≤ 3×.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCore } from '../test/harness/make-core.js';
import { censusCore } from './census.js';

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

interface Row {
  readonly label: string;
  readonly gb: number;
  readonly census: number;
  readonly leaks: number;
  readonly censusRss: number;
  readonly leaksRss: number;
  readonly scanned: { chunks: number; bytes: number; rootBytes: number };
}

function measure(label: string, core: string, binary: string): Row {
  const census: number[] = [];
  const leaks: number[] = [];
  let censusRss = 0;
  let leaksRss = 0;
  let scanned = { chunks: 0, bytes: 0, rootBytes: 0 };
  for (let i = 0; i < RUNS; i++) {
    const c = runCli(['objects', core, '--binary', binary, '--json']);
    census.push(c.ms);
    censusRss = Math.max(censusRss, c.rssMb);
    const l = runCli(['leaks', core, '--binary', binary, '--json']);
    leaks.push(l.ms);
    leaksRss = Math.max(leaksRss, l.rssMb);
    scanned = (JSON.parse(l.out) as { scanned: typeof scanned }).scanned;
  }
  return { label, gb: statSync(core).size / 1e9, census: median(census), leaks: median(leaks), censusRss, leaksRss, scanned };
}

/** Role: runs the benchmark; returns its BENCHMARKS.md section. */
export async function benchLeaks(): Promise<string> {
  const big = await censusCore();
  const scenario = await makeCore(20, 'native-memory');
  const load0 = loadavg()[0]!;
  const rows = [measure(`census core (Node ${big.version}, 4 M JS objects)`, big.core, big.binary), measure(`native-memory scenario (Node ${scenario.nodeVersion})`, scenario.corePath, scenario.binary)];
  const load1 = loadavg()[0]!;
  return [
    `### leaks vs the census on the same core, median of ${RUNS}`,
    '',
    "Reproduce: `npm run bench -- leaks` (the census benchmark's core, made once by `bench/fixtures/census-heap.js` and cached in `.cache/bench/`; the scenario harness's native-memory core). Each run is a whole CLI process (open, walk, print JSON). Page cache warm.",
    `Load average (1 min) around the run: ${load0.toFixed(1)}–${load1.toFixed(1)} on 2 cores.`,
    '',
    '| core | size | `objects --json` (census) | `leaks --json` | leaks / census | peak RSS census / leaks | leaks scanned |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.gb.toFixed(2)} GB | ${r.census.toFixed(0)} ms | ${r.leaks.toFixed(0)} ms | ${(r.leaks / r.census).toFixed(2)}× | ${r.censusRss.toFixed(0)} / ${r.leaksRss.toFixed(0)} MB | ${r.scanned.chunks} chunks (${(r.scanned.bytes / 1e6).toFixed(1)} MB), ${(r.scanned.rootBytes / 1e6).toFixed(0)} MB of roots |`,
    ),
    '',
    'Goal (issue 13): leaks ≤ 3× the census on the same core.',
    '',
  ].join('\n');
}
