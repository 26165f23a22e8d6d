// Makes a core of a scenario script run by a given Node major, and caches it per (node version,
// scenario) under .cache/cores/ keyed by a hash of the scripts, so test files share one core.
// Live scenarios are snapshotted with the product's live engine (gcore); the abort scenario
// dumps core through the kernel, or under gdb when the kernel's core_pattern pipes elsewhere.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { COREDUMP_FILTER_DEFAULT } from '../../src/target/live/coredump-filter.js';
import { readProcessState } from '../../src/target/live/proc-status.js';
import { snapshotProcess, tmpfsScratchDir } from '../../src/target/live/snapshot-process.js';
import { copySparse } from '../../src/target/live/sparse-copy.js';
import { isElfCore } from './elf-header.js';
import { withFileLock } from './file-lock.js';
import type { ParsedStackFrame, ScenarioManifest } from './manifest.js';
import { nodeBinary } from './node-binaries.js';
import { coreCacheDir, scenariosDir } from './repo-paths.js';

/** Role: the stack scenarios of issue 2, which the harness test makes a core of on every major. */
export const STACK_SCENARIOS: readonly string[] = [
  'sync-chain',
  'class-methods',
  'arrow-functions',
  'closures',
  'constructor-call',
  'async-await',
  'worker-thread',
  'uncaught-abort',
  'spin-loop',
  'deep-recursion',
];

/** Role: every scenario script under test/scenarios/ (file name without .js), as makeCore accepts them. */
export const SCENARIOS: readonly string[] = Object.freeze(
  readdirSync(scenariosDir())
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -'.js'.length))
    .sort(),
);

/** Role: bumped when the way cores are made changes, so cached cores are remade. */
const HARNESS_CORE_VERSION = 1;
const READY_PREFIX = 'NODESCOPE_READY ';

/** Role: what a scenario's header comment declares (`// nodescope-hold:`, `// nodescope-flags:`). */
export interface ScenarioHeader {
  readonly hold: 'wait' | 'spin' | 'abort';
  readonly flags: readonly string[];
}

/** Role: Node's own report of an uncaught exception before it aborted. */
export interface AbortReport {
  /** The `Uncaught …` line without `Uncaught ` (e.g. `TypeError: invalid config field: port`). */
  readonly message: string;
  /** The frames Node listed after `FROM`, innermost first. */
  readonly frames: readonly ParsedStackFrame[];
}

/** Role: one made (or cached) core with everything the scenario said about itself. */
export interface CoreResult {
  readonly scenario: string;
  readonly major: number;
  readonly nodeVersion: string;
  readonly corePath: string;
  /** The Node binary that ran the scenario (the one to analyse the core with). */
  readonly binary: string;
  readonly pid: number;
  readonly manifest: ScenarioManifest;
  /** Everything the scenario wrote on stderr. */
  readonly stderr: string;
  /** abort: the signal the process died of (SIGABRT, SIGTRAP, SIGILL …). */
  readonly signal?: string;
  /** abort: the stack Node printed before aborting. */
  readonly abortReport?: AbortReport;
  /** How the core was written. */
  readonly engine: 'gcore' | 'kernel' | 'gdb';
  readonly coredumpFilter: number;
  /** Time to make the core in ms (of the run that made it). */
  readonly makeMs: number;
  /** Whether this call found the core in the cache. */
  readonly cached: boolean;
  /** The files the scenario wrote next to its manifest (manifest `files`), by name: cached paths. */
  readonly files?: Readonly<Record<string, string>>;
}

/** Role: options of makeCore. */
export interface MakeCoreOptions {
  /** Hard limit for the ready line (or the abort) and for the snapshot, each (default 120 s). */
  readonly timeoutMs?: number;
  /** coredump_filter for the core (default 0x33, the kernel's default). */
  readonly coredumpFilter?: number;
  /** Remake the core even when a cached one exists. */
  readonly fresh?: boolean;
  /** Force the gdb engine for the abort scenario (as when core_pattern pipes elsewhere). */
  readonly abortEngine?: 'kernel' | 'gdb';
}

/** Role: absolute path of a scenario script. */
export function scenarioPath(scenario: string): string {
  if (!SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario}`);
  return join(scenariosDir(), `${scenario}.js`);
}

/** Role: reads the `// nodescope-hold:` and `// nodescope-flags:` lines of a scenario. */
export function scenarioHeader(scenario: string): ScenarioHeader {
  const text = readFileSync(scenarioPath(scenario), 'utf8');
  const hold = /^\/\/ nodescope-hold: (wait|spin|abort)\s*$/m.exec(text)?.[1] as ScenarioHeader['hold'] | undefined;
  if (!hold) throw new Error(`scenario ${scenario} has no "// nodescope-hold:" line`);
  const flags = /^\/\/ nodescope-flags: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
  return { hold, flags };
}

/** Role: parses Node's `Uncaught …` / `FROM` report (printed under --abort-on-uncaught-exception). */
export function parseAbortReport(stderr: string): AbortReport | undefined {
  const lines = stderr.split('\n');
  const first = lines.findIndex((l) => l.startsWith('Uncaught '));
  const from = lines.findIndex((l, i) => i > first && l.trim() === 'FROM');
  if (first < 0 || from < 0) return undefined;
  const frames: ParsedStackFrame[] = [];
  // Node 18 prints the FROM frames without line breaks between them: split after each `)`.
  const frameLines = lines.slice(from + 1).flatMap((l) => l.replace(/\)(?=\S)/g, ')\n').split('\n'));
  for (const raw of frameLines) {
    const l = raw.trim();
    const m = /^(?:(.*?) \((.*):(\d+):(\d+)\)|(.*):(\d+):(\d+))$/.exec(l);
    if (!m) break;
    if (m[2] !== undefined) frames.push({ function: m[1] ?? '', file: m[2], line: Number(m[3]), column: Number(m[4]) });
    else frames.push({ function: '', file: m[5] ?? '', line: Number(m[6]), column: Number(m[7]) });
  }
  return { message: (lines[first] ?? '').slice('Uncaught '.length), frames };
}

function cacheKey(scenario: string, header: ScenarioHeader, filter: number, engine: string): string {
  const h = createHash('sha256');
  h.update(`v${HARNESS_CORE_VERSION}\0${filter}\0${engine}\0${header.flags.join(' ')}\0`);
  h.update(readFileSync(scenarioPath(scenario)));
  h.update(readFileSync(join(scenariosDir(), 'lib', 'kit.js')));
  return h.digest('hex').slice(0, 12);
}

interface Collected {
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Collected {
  const out: Collected = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => {
    if (out.stdout.length < 1 << 16) out.stdout += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    if (out.stderr.length < 1 << 20) out.stderr += d.toString('utf8');
  });
  return out;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      onTimeout();
      fail(new Error(`${what}: no result within ${ms} ms`));
    }, ms);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

function waitForReady(child: ChildProcess, io: Collected, timeoutMs: number, scenario: string): Promise<number> {
  const ready = new Promise<number>((done, fail) => {
    const check = (): void => {
      const line = io.stdout.split('\n').find((l) => l.startsWith(READY_PREFIX));
      if (line) {
        child.stdout?.removeListener('data', check);
        done(Number(line.slice(READY_PREFIX.length)));
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) =>
      fail(new Error(`scenario ${scenario} exited (${code ?? signal}) before its ready line:\n${io.stderr.slice(-2000)}`)),
    );
  });
  return withTimeout(ready, timeoutMs, `ready line of ${scenario}`, () => child.kill('SIGKILL'));
}

/** Waits (bounded) until the main thread sleeps, i.e. has reached its Atomics.wait. */
async function waitUntilSleeping(pid: number, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (readProcessState(pid, pid) === 'S') return;
    await delay(10);
  }
}

async function makeLiveCore(binary: string, scenario: string, header: ScenarioHeader, work: string, out: string, opts: MakeCoreOptions): Promise<{ pid: number; stderr: string }> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const child = spawn(binary, [...header.flags, scenarioPath(scenario)], {
    cwd: work,
    env: { ...process.env, NODESCOPE_MANIFEST: join(work, 'manifest.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const io = collect(child);
  try {
    const pid = await waitForReady(child, io, timeoutMs, scenario);
    if (header.hold === 'wait') await waitUntilSleeping(pid, 5000);
    const snap = { coredumpFilter: opts.coredumpFilter ?? COREDUMP_FILTER_DEFAULT, timeoutMs, scratchDir: scratchDir(work) };
    try {
      await snapshotProcess(pid, out, snap);
    } catch (e) {
      // One more try for a gcore that failed under load; a scenario that died fails as it is.
      if (child.exitCode !== null || child.signalCode !== null) throw e;
      await snapshotProcess(pid, out, snap);
    }
    return { pid, stderr: io.stderr };
  } finally {
    child.kill('SIGKILL');
    await exited(child);
  }
}

/** gcore's raw output is mostly zeros: write it to tmpfs when there is one, then copy sparsely. */
function scratchDir(fallback: string): string {
  return tmpfsScratchDir() ?? fallback;
}

function corePatternIsLocal(): boolean {
  try {
    const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
    return pattern !== '' && !pattern.startsWith('|') && !pattern.startsWith('/');
  } catch {
    return false;
  }
}

function findCoreIn(dir: string): string | undefined {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name !== 'manifest.json' && statSync(p).isFile() && isElfCore(p)) return p;
  }
  return undefined;
}

async function makeAbortCore(binary: string, scenario: string, header: ScenarioHeader, work: string, out: string, opts: MakeCoreOptions): Promise<{ pid: number; stderr: string; signal: string; engine: 'kernel' | 'gdb' }> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const filter = `0x${(opts.coredumpFilter ?? COREDUMP_FILTER_DEFAULT).toString(16)}`;
  const env = { ...process.env, NODESCOPE_MANIFEST: join(work, 'manifest.json') };
  const script = scenarioPath(scenario);
  if ((opts.abortEngine ?? 'kernel') === 'kernel' && corePatternIsLocal()) {
    // The shell raises the core size limit for the scenario alone, then becomes it (exec).
    const child = spawn('/bin/sh', ['-c', `ulimit -c unlimited || exit 97; echo ${filter} > /proc/self/coredump_filter; exec "$@"`, 'sh', binary, ...header.flags, script], {
      cwd: work,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const io = collect(child);
    const end = await withTimeout(exited(child), timeoutMs, `abort of ${scenario}`, () => child.kill('SIGKILL'));
    const core = findCoreIn(work);
    if (end.signal !== null && core) {
      renameSync(core, out);
      return { pid: readManifestPid(work), stderr: io.stderr, signal: end.signal, engine: 'kernel' };
    }
  }
  // gdb runs the scenario, stops it at the fatal signal and writes the core itself (every byte:
  // into scratch space first, then copied sparsely).
  const raw = join(scratchDir(work), `.${basename(out)}.gdb-core`);
  const gdbArgs = ['-nx', '-batch', '-ex', 'set pagination off', '-ex', 'set disable-randomization off', '-ex', 'handle SIGPIPE nostop noprint pass', '-ex', 'run', '-ex', 'info program', '-ex', `generate-core-file ${raw}`, '-ex', 'kill', '--args', binary, ...header.flags, script];
  const child = spawn('/bin/sh', ['-c', `echo ${filter} > /proc/self/coredump_filter; exec gdb "$@"`, 'sh', ...gdbArgs], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const io = collect(child);
  await withTimeout(exited(child), timeoutMs, `abort of ${scenario} under gdb`, () => child.kill('SIGKILL'));
  if (existsSync(raw)) {
    try {
      copySparse(raw, out);
    } finally {
      unlinkSync(raw);
    }
  }
  const signal = /received signal (SIG[A-Z]+)|stopped with signal (SIG[A-Z]+)/.exec(io.stdout)?.slice(1).find((g) => g !== undefined);
  if (!existsSync(out) || !signal) throw new Error(`gdb did not write a core of ${scenario}:\n${io.stdout.slice(-2000)}\n${io.stderr.slice(-2000)}`);
  return { pid: readManifestPid(work), stderr: io.stderr, signal, engine: 'gdb' };
}

function readManifestPid(work: string): number {
  return (JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as ScenarioManifest).pid;
}

function loadCached(jsonPath: string, corePath: string): CoreResult | undefined {
  if (!existsSync(jsonPath) || !existsSync(corePath)) return undefined;
  try {
    const r = JSON.parse(readFileSync(jsonPath, 'utf8')) as CoreResult;
    if (r.corePath !== corePath || !existsSync(r.binary)) return undefined;
    if (Object.values(r.files ?? {}).some((f) => !existsSync(f))) return undefined;
    // The abort report is parsed anew, so that a parser fix applies to cached cores too.
    const abortReport = r.manifest.hold === 'abort' ? parseAbortReport(r.stderr) : undefined;
    return { ...r, ...(abortReport !== undefined ? { abortReport } : {}), cached: true };
  } catch {
    return undefined;
  }
}

/** Moves the files a scenario wrote next to its manifest into the core cache, as `<base>.<name>`. */
function keepFiles(work: string, dir: string, base: string, names: readonly string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const name of names) {
    if (basename(name) !== name) throw new Error(`manifest file ${name}: a plain file name next to the manifest`);
    const to = join(dir, `${base}.${name}`);
    // Copied, not renamed: the work folder may be on another file system (tmpfs).
    copyFileSync(join(work, name), `${to}.partial`);
    renameSync(`${to}.partial`, to);
    out[name] = to;
  }
  return out;
}

function removeStale(dir: string, scenario: string, keep: string): void {
  const ours = new RegExp(`^${scenario.replace(/[^\w-]/g, '')}-[0-9a-f]{12}\\.`);
  for (const name of readdirSync(dir)) {
    if (ours.test(name) && !name.startsWith(keep)) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Role: the core of `scenario` run by the latest cached Node of `major`: made once, then reused
 * from .cache/cores/<version>/ by every test file (a lock file keeps parallel makers apart).
 */
export async function makeCore(major: number, scenario: string, opts: MakeCoreOptions = {}): Promise<CoreResult> {
  const header = scenarioHeader(scenario);
  const node = await nodeBinary(major);
  const filter = opts.coredumpFilter ?? COREDUMP_FILTER_DEFAULT;
  const engineWanted = header.hold === 'abort' ? (opts.abortEngine ?? 'kernel') : 'gcore';
  const dir = join(coreCacheDir(), node.version);
  const base = `${scenario}-${cacheKey(scenario, header, filter, engineWanted)}`;
  const corePath = join(dir, `${base}.core`);
  const jsonPath = join(dir, `${base}.json`);
  mkdirSync(dir, { recursive: true });
  if (!opts.fresh) {
    const hit = loadCached(jsonPath, corePath);
    if (hit) return hit;
  }
  return withFileLock(join(dir, `.lock-${scenario}`), async () => {
    if (!opts.fresh) {
      const hit = loadCached(jsonPath, corePath);
      if (hit) return hit;
    }
    removeStale(dir, scenario, base);
    const started = performance.now();
    const work = mkdtempSync(join(tmpdir(), `nodescope-${scenario}-`));
    const partial = join(dir, `.${base}.${process.pid}.partial`);
    try {
      let made: { pid: number; stderr: string; signal?: string; engine: CoreResult['engine'] };
      if (header.hold === 'abort') made = await makeAbortCore(node.path, scenario, header, work, partial, opts);
      else made = { ...(await makeLiveCore(node.path, scenario, header, work, partial, opts)), engine: 'gcore' };
      if (!isElfCore(partial)) throw new Error(`the core of ${scenario} on Node ${node.version} is not an ELF core`);
      const manifest = JSON.parse(readFileSync(join(work, 'manifest.json'), 'utf8')) as ScenarioManifest;
      const abortReport = header.hold === 'abort' ? parseAbortReport(made.stderr) : undefined;
      const files = keepFiles(work, dir, base, manifest.files ?? []);
      renameSync(partial, corePath);
      const result: CoreResult = {
        scenario,
        major,
        nodeVersion: node.version,
        corePath,
        binary: node.path,
        pid: made.pid,
        manifest,
        stderr: made.stderr,
        ...(made.signal !== undefined ? { signal: made.signal } : {}),
        ...(abortReport !== undefined ? { abortReport } : {}),
        engine: made.engine,
        coredumpFilter: filter,
        makeMs: Math.round(performance.now() - started),
        cached: false,
        ...(files !== undefined ? { files } : {}),
      };
      writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
      return result;
    } finally {
      rmSync(work, { recursive: true, force: true });
      if (existsSync(partial)) unlinkSync(partial);
    }
  });
}
