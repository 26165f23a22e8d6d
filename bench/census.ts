// Benchmark: the heap census (`objects`), the first `refs` (reference index included) and further
// refs queries on a large Node 20 core (3 M class instances with their own 200-character strings
// plus 1 M plain objects, ~1.9 GB), against a plain sequential read of the same heap pages (the
// physical limit) and llnode's findjsobjects / findrefs on the same core, all in the same run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from '../src/analysis/session.js';
import { findRefs } from '../src/analysis/census/refs.js';
import { findInstances } from '../src/analysis/census/instances.js';
import { nodeBinary } from '../test/harness/node-binaries.js';
import { llnodeBaseline, type LlnodeTiming } from './llnode-baseline.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const RSS_PRELOAD = fileURLToPath(new URL('./rss-reporter.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../bench/fixtures/census-heap.js', import.meta.url));
const CACHE = fileURLToPath(new URL('../../.cache/bench/', import.meta.url));

/** Wall time and peak RSS of one CLI run. */
interface Run {
  readonly ms: number;
  readonly rssMb: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Makes (or reuses) the census core of the fixture under Node 20; returns its path. */
export async function censusCore(): Promise<{ core: string; binary: string; version: string }> {
  const node = await nodeBinary(20);
  const key = createHash('sha256').update(readFileSync(FIXTURE)).update(node.version).digest('hex').slice(0, 12);
  const core = join(CACHE, `census-${node.version}-${key}.core`);
  if (existsSync(core)) return { core, binary: node.path, version: node.version };
  mkdirSync(CACHE, { recursive: true });
  const child = spawn(node.path, ['--max-old-space-size=6000', FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('census fixture not ready in 5 min')), 300_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('NODESCOPE_READY')) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  const tmp = join(CACHE, 'making');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const g = spawnSync('gcore', ['-o', join(tmp, 'core'), String(child.pid)], { timeout: 600_000, stdio: 'ignore' });
  child.kill('SIGKILL');
  const made = readdirSync(tmp).find((f) => f.startsWith('core.'));
  if (g.status !== 0 || made === undefined) throw new Error('gcore of the census fixture failed');
  renameSync(join(tmp, made), core);
  rmSync(tmp, { recursive: true, force: true });
  return { core, binary: node.path, version: node.version };
}

/** Runs the CLI with `args`; wall ms and the child's peak RSS (reported by the preload). */
function runCli(args: readonly string[]): Run {
  const rssFile = join(CACHE, `rss-${process.pid}`);
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_PRELOAD, CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', NODESCOPE_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 900_000,
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`nodescope ${args.join(' ')} failed: ${r.stderr?.toString().slice(0, 400)}`);
  const rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  rmSync(rssFile, { force: true });
  return { ms, rssMb };
}

/** Reads every byte of the heap pages' object areas once, sequentially, in 4 MiB reads. */
function plainRead(core: string, binary: string): { ms: number; bytes: number } {
  const s = Session.openCore(core, { binary });
  try {
    const pages = s.census().table.walker.pages.pages;
    const buf = Buffer.allocUnsafe(4 << 20);
    const start = performance.now();
    let bytes = 0;
    for (const p of pages) {
      for (let a = p.areaStart; a < p.areaEnd; a += buf.length) {
        const n = Math.min(buf.length, p.areaEnd - a);
        if (s.target.space.readInto(a, buf, 0, n)) bytes += n;
      }
    }
    return { ms: performance.now() - start, bytes };
  } finally {
    s.close();
  }
}

/** In-process: the first refs (index build included) and the mean of further queries, as the REPL runs them. */
function refsTimings(core: string, binary: string): { firstMs: number; nextMs: number; address: string } {
  const s = Session.openCore(core, { binary });
  try {
    // The instance list comes from a census of its own session, so the timed one starts cold.
    const lister = Session.openCore(core, { binary });
    const sample = findInstances(lister, 'RequestContext', { limit: 11, offset: 1000 }).instances.map((x) => Number.parseInt(x.address, 16));
    lister.close();
    const t0 = performance.now();
    findRefs(s, sample[0]!);
    const firstMs = performance.now() - t0;
    const t1 = performance.now();
    for (const a of sample.slice(1)) findRefs(s, a);
    return { firstMs, nextMs: (performance.now() - t1) / (sample.length - 1), address: `0x${sample[0]!.toString(16)}` };
  } finally {
    s.close();
  }
}

/** Runs the census benchmark `reps` times and returns its BENCHMARKS.md section. */
export async function benchCensus(reps = 3): Promise<string> {
  const { core, binary, version } = await censusCore();
  const size = statSync(core).size;
  // Warm the page cache once so every tool reads the core from memory.
  plainRead(core, binary);
  const objects: Run[] = [];
  const refsCli: Run[] = [];
  const reads: number[] = [];
  let address = '';
  let readBytes = 0;
  const refs: { firstMs: number; nextMs: number }[] = [];
  for (let i = 0; i < reps; i++) {
    const pr = plainRead(core, binary);
    reads.push(pr.ms);
    readBytes = pr.bytes;
    objects.push(runCli(['objects', core, '--binary', binary]));
    const r = refsTimings(core, binary);
    refs.push(r);
    address = r.address;
    refsCli.push(runCli(['refs', core, address, '--binary', binary]));
  }
  const llnode: LlnodeTiming | string = await llnodeBaseline(core, binary, address);
  const o = median(objects.map((r) => r.ms));
  const orss = median(objects.map((r) => r.rssMb));
  const read = median(reads);
  const rc = median(refsCli.map((r) => r.ms));
  const rrss = median(refsCli.map((r) => r.rssMb));
  const first = median(refs.map((r) => r.firstMs));
  const next = median(refs.map((r) => r.nextMs));
  const lines = [
    `### Heap census on a ${(size / 1e9).toFixed(2)} GB core (Node ${version}: 3,000,000 class instances with their own 200-character strings, 1,000,000 plain objects), median of ${reps}`,
    '',
    'Reproduce: `npm run bench -- census` (the core is made once by `bench/fixtures/census-heap.js` and cached in `.cache/bench/`).',
    `Page cache warm for every tool. The plain read is every byte of the ${(readBytes / 1e9).toFixed(2)} GB of heap pages read once in 4 MiB \`pread\`s: the physical limit of a one-pass census.`,
    '',
    '| what | wall | peak RSS | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| plain sequential read of the heap pages (baseline) | ${read.toFixed(0)} ms | – | 1.00 |`,
    `| \`nodescope objects\` | ${o.toFixed(0)} ms | ${orss.toFixed(0)} MB | ${(o / read).toFixed(2)} × the read |`,
  ];
  if (typeof llnode === 'string') lines.push(`| llnode \`v8 findjsobjects\` | ${llnode} | | |`);
  else {
    lines.push(`| llnode \`v8 findjsobjects\` (baseline) | ${llnode.findjsobjectsMs.toFixed(0)} ms | ${llnode.findjsobjectsRssMb.toFixed(0)} MB | nodescope is ${(llnode.findjsobjectsMs / o).toFixed(1)}× faster |`);
  }
  lines.push(
    `| \`nodescope refs\` CLI run (census + reference index + query) | ${rc.toFixed(0)} ms | ${rrss.toFixed(0)} MB | |`,
    `| refs, first query in a session (census + index build included) | ${first.toFixed(0)} ms | | |`,
    `| refs, each further query in the same session (REPL) | ${next.toFixed(1)} ms | | |`,
  );
  if (typeof llnode !== 'string' && llnode.findrefsMs !== undefined) {
    lines.push(`| llnode \`v8 findrefs -v\` (one lldb run: its own heap scan and the query) | ${llnode.findrefsMs.toFixed(0)} ms | | the nodescope refs CLI run is ${(llnode.findrefsMs / rc).toFixed(1)}× faster |`);
  }
  lines.push('', `Goals (issue 7): objects ≤ 3 s and ≤ 1 GB RSS; refs with index build ≤ 10 s; further queries ≤ 0.1 s.`, '');
  if (typeof llnode !== 'string' && llnode.note) lines.push(llnode.note, '');
  return lines.join('\n');
}
