// Kernel mode: sample a live process with `perf record` (cpu-clock, frame-pointer callchains, or
// user stack copies with --stack-copy). By default perf streams pipe-mode perf.data to us and each
// sample is named as it arrives (SampleNamer, over the Session's symbolizer and V8 layout), so JS
// frames are named while the process runs, before a GC moves their JSFunctions; if perf cannot
// stream, it writes a file that is read after it stops.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FormatError, TargetError } from '../../util/errors.js';
import { processAlive } from '../../target/live/proc-status.js';
import { ProfileBuilder, type Profile } from '../profile-model.js';
import type { JsFrameResolver } from './js-frame-resolver.js';
import { KallsymsIndex } from '../../native/kallsyms.js';
import { checkPerfAccess } from './perf-access.js';
import { parsePerfData, type PerfSample } from './perf-data.js';
import { PerfMapJsFrameResolver } from './perf-map-resolver.js';
import { PerfDidNotStart, runPerfRecord } from './perf-record.js';
import type { LiveGuard } from '../../target/live/live-guard.js';
import type { Checkpoint } from '../../target/live/checkpoint.js';
import { PerfStreamParser } from './perf-stream.js';
import { profileFromPerfData, SampleNamer, type ProcessNaming } from './sample-namer.js';

/** Role: options of one kernel-mode profile. */
export interface PerfSampleOptions {
  readonly hz: number;
  /** How long to sample; Infinity samples until the target exits or `signal` aborts. */
  readonly durationMs: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** The target Session's symbolizer, memory, builtins and V8 layout, built before sampling. */
  readonly naming: ProcessNaming;
  /** Copy this many bytes of user stack per sample and walk frame pointers ourselves (0: fp callchains). */
  readonly stackCopyBytes?: number;
  readonly perfPath?: string;
  /** `pipe` (default) names JS frames while sampling; `file` reads perf.data after perf stops. */
  readonly transport?: 'pipe' | 'file';
  /** The live guard: kills perf and removes perf.data should nodescope die meanwhile. */
  readonly guard?: LiveGuard;
  /** Passed to perf record ('perf-running'). */
  readonly checkpoint?: Checkpoint;
}

/** Largest user stack copy perf accepts (a record's size is a u16; perf rounds to 8). */
const MAX_STACK_COPY = 65528;

function callGraphOf(opts: PerfSampleOptions): string {
  return opts.stackCopyBytes && opts.stackCopyBytes > 0 ? `dwarf,${Math.min(MAX_STACK_COPY, Math.ceil(opts.stackCopyBytes / 8) * 8)}` : 'fp';
}

function describeSampling(pid: number, hz: number, callGraph: string, transport: string): string {
  const how = callGraph === 'fp' ? 'frame-pointer callchains' : `user stack copies, ${callGraph.slice(6)} bytes`;
  return `perf record is sampling process ${pid} at ${hz} Hz (${how}; ${transport})`;
}

/**
 * Ring buffer pages for pipe mode: half the buffer (where the kernel wakes perf) holds about
 * 20 ms of samples, so samples reach us while fresh; a power of two from 8 to 512 (64 unless
 * root, the default perf_event_mlock_kb budget).
 */
export function ringPages(hz: number, stackCopyBytes: number, root: boolean): number {
  const bytes = 2 * hz * 0.02 * (stackCopyBytes + 512);
  let pages = 8;
  while (pages * 4096 < bytes && pages < (root ? 512 : 64)) pages *= 2;
  return pages;
}

function loadKallsyms(): KallsymsIndex | undefined {
  return KallsymsIndex.fromProc();
}

/** Role: profiles a live Node process with perf; the target is never stopped or changed. */
export async function sampleWithPerf(pid: number, opts: PerfSampleOptions): Promise<Profile> {
  const log = opts.log ?? (() => undefined);
  if (!processAlive(pid)) throw new TargetError(`no process with PID ${pid}`, 'NO_PROCESS');
  const access = checkPerfAccess(pid, opts.perfPath);
  if (!access.ok) throw new TargetError(`kernel mode is not available: ${access.reason}`);
  if (opts.transport !== 'file') {
    try {
      return await sampleThroughPipe(pid, opts, log);
    } catch (e) {
      if (!(e instanceof PerfDidNotStart)) throw e;
      log(`perf cannot stream to us (${e.stderr}); sampling into a perf.data file instead`);
      return sampleThroughFile(pid, opts, log, ['perf could not stream (pipe mode), so JS frames were named after sampling stopped']);
    }
  }
  return sampleThroughFile(pid, opts, log, []);
}

function unresolvedNote(stats: SampleNamer['stats'], naming: ProcessNaming, copyBytes: number): string[] {
  const notes: string[] = [];
  if (stats.js > 0 && stats.jsResolved < stats.js) {
    const why = naming.layout === undefined ? ' (the binary has no V8 metadata; use --mode inspector for JS names)' : copyBytes === 0 ? ' (no stack copies: frame-pointer callchains carry no frame slots)' : '';
    notes.push(`${stats.js - stats.jsResolved} of ${stats.js} JS frames are unresolved and labelled [JIT]/[interpreted]${why}`);
  }
  if (stats.cut > 0) {
    notes.push(`${stats.cut} of ${stats.samples} stacks were deeper than the ${copyBytes}-byte stack copy and are drawn under [truncated stack]; raise --stack-copy to see their roots`);
  }
  return notes;
}

/** Pipe mode: perf streams perf.data to our stdin; samples are named on arrival. */
async function sampleThroughPipe(pid: number, opts: PerfSampleOptions, log: (line: string) => void): Promise<Profile> {
  const callGraph = callGraphOf(opts);
  const copyBytes = callGraph === 'fp' ? 0 : Number(callGraph.slice(6));
  const notes: string[] = [];
  // Everything slow (symbols, CFI, the layout) was built before perf starts, so no sample waits on it.
  const resolvers: JsFrameResolver[] = [PerfMapJsFrameResolver.watch(pid)];
  const kallsyms = loadKallsyms();
  const namer = new SampleNamer({ ...opts.naming, pid, resolvers, ...(kallsyms ? { kallsyms } : {}) });
  const b = new ProfileBuilder();
  let lost = 0;
  let first: bigint | undefined;
  let copySize = 0;
  const parser = new PerfStreamParser((r) => {
    if (r.kind === 'lost') lost += r.lost;
    else if (r.kind === 'sample') addSample(r.sample);
  });
  const addSample = (s: PerfSample): void => {
    if (s.pid !== undefined && s.pid !== pid) return;
    if (copySize === 0) copySize = parser.attribute?.sampleStackUser ?? 0;
    if (first === undefined && s.time !== undefined) first = s.time;
    const t = s.time !== undefined && first !== undefined ? Number(s.time - first) / 1000 : undefined;
    b.addStack(namer.stackOf(s, copySize), 1, t);
  };
  const read = async (out: Readable): Promise<void> => {
    for await (const chunk of out) {
      namer.beginBatch();
      parser.push(chunk as Buffer);
    }
    try {
      parser.end();
    } catch (e) {
      // perf killed mid-write: keep every complete sample.
      if (!(e instanceof FormatError)) throw e;
      notes.push(`${e.message}; the samples before it are written`);
    }
  };
  const root = process.getuid?.() === 0;
  const args = ['record', '-F', String(opts.hz), '-e', 'cpu-clock', '--call-graph', callGraph, '-p', String(pid), '-o', '-', '-q', '-B', '-m', String(ringPages(opts.hz, copyBytes, root))];
  const run = await runPerfRecord(pid, args, {
    durationMs: opts.durationMs, log, stdout: read,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.perfPath ? { perfPath: opts.perfPath } : {}),
    ...(opts.guard ? { guard: opts.guard } : {}),
    ...(opts.checkpoint ? { checkpoint: opts.checkpoint } : {}),
    onStarted: () => log(describeSampling(pid, opts.hz, callGraph, 'streamed, JS frames named as samples arrive')),
  });
  notes.push(...run.notes);
  if (lost > 0) notes.push(`the kernel lost ${lost} samples`);
  notes.push(...unresolvedNote(namer.stats, opts.naming, copyBytes));
  return b.build({ pid, mode: 'perf', hz: opts.hz, durationMs: run.durationMs, startTime: run.startTime, notes, jsFrames: { total: namer.stats.js, unresolved: namer.stats.js - namer.stats.jsResolved }, transport: 'pipe' });
}

/** File mode: perf writes perf.data; it is parsed, and JS frames named, after perf stops. */
async function sampleThroughFile(pid: number, opts: PerfSampleOptions, log: (line: string) => void, notes: string[]): Promise<Profile> {
  const callGraph = callGraphOf(opts);
  // The folder is named, and handed to the guard, before it exists.
  const dir = join(tmpdir(), `nodescope-perf-${process.pid}-${randomBytes(6).toString('hex')}`);
  const hold = await opts.guard?.hold({ kind: 'remove', path: dir });
  mkdirSync(dir, { mode: 0o700 });
  const out = join(dir, 'perf.data');
  const args = ['record', '-F', String(opts.hz), '-e', 'cpu-clock', '--call-graph', callGraph, '-p', String(pid), '-o', out, '-q', '-B'];
  try {
    const run = await runPerfRecord(pid, args, {
      durationMs: opts.durationMs, log,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.perfPath ? { perfPath: opts.perfPath } : {}),
      ...(opts.guard ? { guard: opts.guard } : {}),
      ...(opts.checkpoint ? { checkpoint: opts.checkpoint } : {}),
      onStarted: () => log(describeSampling(pid, opts.hz, callGraph, 'into a file, JS frames named after sampling')),
    });
    notes.push(...run.notes);
    const data = parsePerfData(readFileSync(out), out);
    if (data.lost > 0) notes.push(`the kernel lost ${data.lost} samples`);
    const kallsyms = data.samples.some((s) => s.callchain?.some((e) => e.kind === 'kernel-ip')) ? loadKallsyms() : undefined;
    const perfMap = PerfMapJsFrameResolver.load(pid);
    if (!processAlive(pid)) notes.push(`process ${pid} is gone, so its heap could not be read to name JS frames`);
    const meta = { pid, hz: opts.hz, durationMs: run.durationMs, startTime: run.startTime, notes };
    const { profile, stats } = profileFromPerfData(data, { ...opts.naming, pid, resolvers: perfMap ? [perfMap] : [], ...(kallsyms ? { kallsyms } : {}) }, meta);
    notes.push(...unresolvedNote(stats, opts.naming, data.attrs[0]?.sampleStackUser ?? 0));
    return { ...profile, meta: { ...profile.meta, jsFrames: { total: stats.js, unresolved: stats.js - stats.jsResolved }, transport: 'file' } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await hold?.release();
  }
}
