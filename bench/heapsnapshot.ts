// Benchmark: `nodescope heapsnapshot` on the census benchmark's large Node 20 core (3 M class
// instances with their own 200-character strings plus 1 M plain objects): wall time, peak RSS and
// what was written, against a plain sequential read of the heap pages in the same run.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from '../src/analysis/session.js';
import { censusCore } from './census.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const RSS_PRELOAD = fileURLToPath(new URL('./rss-reporter.js', import.meta.url));
const CACHE = fileURLToPath(new URL('../../.cache/bench/', import.meta.url));

interface Written {
  readonly nodes: number;
  readonly edges: number;
  readonly strings: number;
  readonly bytes: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Reads the heap pages once in 4 MiB reads (also warms the page cache); its wall time. */
function plainRead(core: string, binary: string): number {
  const s = Session.openCore(core, { binary });
  try {
    const pages = s.census().table.walker.pages.pages;
    const buf = Buffer.allocUnsafe(4 << 20);
    const start = performance.now();
    for (const p of pages) for (let a = p.areaStart; a < p.areaEnd; a += buf.length) s.target.space.readInto(a, buf, 0, Math.min(buf.length, p.areaEnd - a));
    return performance.now() - start;
  } finally {
    s.close();
  }
}

/** One CLI export: wall ms, peak RSS in MB, and its --json report. */
function exportOnce(core: string, binary: string, out: string): { ms: number; rssMb: number; written: Written } {
  const rssFile = join(CACHE, `rss-${process.pid}`);
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_PRELOAD, CLI, 'heapsnapshot', core, '-o', out, '--binary', binary, '--json'], {
    env: { ...process.env, NO_COLOR: '1', NODESCOPE_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 900_000,
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`nodescope heapsnapshot failed: ${r.stderr?.toString().slice(0, 400)}`);
  const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  rmSync(rssFile, { force: true });
  return { ms, rssMb, written: JSON.parse(r.stdout.toString()) as Written };
}

/** Runs the heapsnapshot benchmark `reps` times and returns its BENCHMARKS.md section. */
export async function benchHeapsnapshot(reps = 1): Promise<string> {
  const { core, binary, version } = await censusCore();
  const out = join(CACHE, 'census.heapsnapshot');
  const read = plainRead(core, binary);
  const runs: { ms: number; rssMb: number; written: Written }[] = [];
  const loadBefore = loadavg()[0]!;
  try {
    for (let i = 0; i < reps; i++) runs.push(exportOnce(core, binary, out));
  } finally {
    rmSync(out, { force: true });
  }
  const load = Math.max(loadBefore, loadavg()[0]!);
  const w = runs[0]!.written;
  const ms = median(runs.map((r) => r.ms));
  const rss = median(runs.map((r) => r.rssMb));
  return [
    `### heapsnapshot of a ${(statSync(core).size / 1e9).toFixed(2)} GB core (Node ${version}: 3,000,000 class instances with their own 200-character strings, 1,000,000 plain objects), median of ${reps}`,
    '',
    'Reproduce: `npm run bench -- heapsnapshot` (the census benchmark\'s core, made once by `bench/fixtures/census-heap.js` and cached in `.cache/bench/`). Page cache warm.',
    `Load average (1 min) around the run: ${load.toFixed(1)} on ${cpus().length} cores${load > 1.5 ? ' (other jobs were running: the wall time is an upper bound)' : ''}.`,
    '',
    '| what | wall | peak RSS | written |',
    '| --- | ---: | ---: | --- |',
    `| plain sequential read of the heap pages (baseline) | ${read.toFixed(0)} ms | – | |`,
    `| \`nodescope heapsnapshot core -o file\` (census, reference graph, mark, write) | ${(ms / 1000).toFixed(1)} s | ${rss.toFixed(0)} MB | ${w.nodes.toLocaleString('en-US')} nodes, ${w.edges.toLocaleString('en-US')} edges, ${w.strings.toLocaleString('en-US')} strings, ${(w.bytes / 1e9).toFixed(2)} GB |`,
    '',
    'Goals (issue 11): ≤ 30 s and ≤ 1.5 GB peak RSS on this machine. andb, the only earlier core → snapshot converter (Node ≤ 18), reported 811 s with 16 workers for 7.8 M nodes.',
    '',
  ].join('\n');
}
