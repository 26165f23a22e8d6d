// Kernel mode: sample a live process with `perf record` (cpu-clock, frame-pointer callchains,
// or user stack copies with --stack-copy), then parse perf.data in TypeScript and symbolize.
// Nothing is injected into the target and no port is opened; perf is stopped with SIGINT.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNodescopeError, TargetError } from '../../util/errors.js';
import { processAlive, readProcInfo } from '../live/proc-info.js';
import { delay, waitFor } from '../live/wait-for.js';
import type { Profile } from '../profile-model.js';
import type { JsFrameResolver, JsResolverFactory } from './js-frame-resolver.js';
import { KallsymsIndex } from './native-symbols.js';
import { checkPerfAccess } from './perf-access.js';
import { parsePerfData } from './perf-data.js';
import { PerfMapJsFrameResolver } from './perf-map-resolver.js';
import { profileFromPerfData } from './perf-symbolizer.js';

/** Role: options of one kernel-mode profile. */
export interface PerfSampleOptions {
  readonly hz: number;
  /** How long to sample; Infinity samples until the target exits or `signal` aborts. */
  readonly durationMs: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** Makes the JS frame resolvers (the V8 heap one), tried before the target's own perf map. */
  readonly resolverFactory?: JsResolverFactory;
  /** Copy this many bytes of user stack per sample and walk frame pointers ourselves (0: fp callchains). */
  readonly stackCopyBytes?: number;
  readonly perfPath?: string;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 30_000;

function holdsPerfEvents(perfPid: number): boolean {
  try {
    return readdirSync(`/proc/${perfPid}/fd`).some((fd) => {
      try { return readlinkSync(`/proc/${perfPid}/fd/${fd}`) === 'anon_inode:[perf_event]'; } catch { return false; }
    });
  } catch {
    return false;
  }
}

/** Role: profiles a live Node process with perf; the target is never stopped or changed. */
export async function sampleWithPerf(pid: number, opts: PerfSampleOptions): Promise<Profile> {
  const log = opts.log ?? (() => undefined);
  readProcInfo(pid);
  const access = checkPerfAccess(pid, opts.perfPath);
  if (!access.ok) throw new TargetError(`kernel mode is not available: ${access.reason}`);
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-perf-'));
  const out = join(dir, 'perf.data');
  const callGraph = opts.stackCopyBytes && opts.stackCopyBytes > 0 ? `dwarf,${Math.min(65528, Math.ceil(opts.stackCopyBytes / 8) * 8)}` : 'fp';
  const args = ['record', '-F', String(opts.hz), '-e', 'cpu-clock', '--call-graph', callGraph, '-p', String(pid), '-o', out, '-q', '-B'];
  const startTime = Date.now();
  const child = spawn(opts.perfPath ?? 'perf', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => { if (stderr.length < 8192) stderr += c; });
  let exited = false;
  const exitP = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => { exited = true; resolve(code); });
    child.on('error', () => { exited = true; resolve(-1); });
  });
  const notes: string[] = [];
  const opened: JsFrameResolver[] = [];
  try {
    // perf has attached once it holds perf_event file descriptors (it enables them right after
    // writing the initial MMAP/COMM records); the output file grows only at its first flush.
    const ready = await waitFor(() => (exited ? false : child.pid !== undefined && holdsPerfEvents(child.pid) ? true : undefined), START_TIMEOUT_MS);
    if (ready !== true) {
      if (!processAlive(pid)) throw new TargetError(`process ${pid} exited before perf could attach`);
      throw new TargetError(`perf record did not start: ${stderr.trim().split('\n').pop() || 'no output'}`);
    }
    log(`perf record is sampling process ${pid} at ${opts.hz} Hz (${callGraph === 'fp' ? 'frame-pointer callchains' : `user stack copies, ${callGraph.slice(6)} bytes`})`);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    void exitP.then(() => stop.abort());
    const targetGone = (async (): Promise<void> => {
      while (!stop.signal.aborted) {
        if (!processAlive(pid)) { stop.abort(); return; }
        await delay(100, stop.signal);
      }
    })();
    await delay(Number.isFinite(opts.durationMs) ? opts.durationMs : 2 ** 31 - 1, stop.signal);
    stop.abort();
    await targetGone;
    opts.signal?.removeEventListener('abort', onAbort);
    if (opts.signal?.aborted) notes.push('interrupted; what was collected is written');
    else if (!processAlive(pid)) notes.push(`process ${pid} exited mid-profile; what was collected is written`);
    if (!exited) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await exitP;
    clearTimeout(timer);
    if (code !== 0 && code !== null && code !== 130 && code !== -2) log(`perf record exited with ${code}: ${stderr.trim().split('\n').pop() ?? ''}`);
    const data = parsePerfData(readFileSync(out), out);
    if (data.lost > 0) notes.push(`the kernel lost ${data.lost} samples`);
    let kallsyms: KallsymsIndex | undefined;
    if (data.samples.some((s) => s.callchain?.some((e) => e.kind === 'kernel-ip'))) {
      try { kallsyms = KallsymsIndex.load(readFileSync('/proc/kallsyms', 'latin1')); } catch { kallsyms = undefined; }
    }
    const perfMap = PerfMapJsFrameResolver.load(pid);
    if (opts.resolverFactory !== undefined) {
      if (processAlive(pid)) {
        try {
          opened.push(...opts.resolverFactory.open(pid));
        } catch (e) {
          if (!isNodescopeError(e)) throw e;
          notes.push(`JS frames cannot be named: ${e.message}`);
        }
      } else {
        notes.push(`process ${pid} is gone, so its heap cannot be read to name JS frames`);
      }
    }
    const resolvers = [...opened, ...(perfMap ? [perfMap] : [])];
    const { profile, stats } = profileFromPerfData(data, { pid, resolvers, ...(kallsyms ? { kallsyms } : {}) }, { pid, hz: opts.hz, durationMs: Date.now() - startTime, startTime, notes });
    if (stats.js > 0 && stats.jsResolved < stats.js) {
      notes.push(`${stats.js - stats.jsResolved} of ${stats.js} JS frames are unresolved and labelled [JIT]/[interpreted]${resolvers.length === 0 ? ' (no JS frame resolver available; use --mode inspector for JS names)' : ''}`);
    }
    return profile;
  } finally {
    for (const r of opened) r.close?.();
    if (!exited) { child.kill('SIGKILL'); await exitP; }
    rmSync(dir, { recursive: true, force: true });
  }
}
