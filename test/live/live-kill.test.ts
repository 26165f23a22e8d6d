// Kill tests of every live command: nodescope is stopped at a named moment of its work
// (NODESCOPE_TEST_STOP_AT: the target frozen, coredump_filter changed, gcore writing, the
// inspector open, the trace agent injected, perf sampling, …) and killed there with SIGKILL —
// itself, its process group, or its whole process tree. Once the guard has finished, the target must be as it was found:
// running (no thread stopped or traced), its coredump_filter, no listener of ours, no trace agent
// or its socket, no perf, no gdb or gcore, no temporary files, and no guard left.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { CLI } from '../cli/run-cli.js';
import { listeningPortsOf, startSpinner, type Spinner } from '../profile/live-helpers.js';
import { processState, processTree, processesMatching, threadStates, tracerPids } from './proc-scan.js';

type KillStyle = 'process' | 'group' | 'tree';
const KILL_STYLES: readonly KillStyle[] = ['process', 'group', 'tree'];

/** One live command and the moments it can be stopped at. */
interface LiveCase {
  readonly name: string;
  readonly args: (pid: number, outDir: string) => string[];
  readonly moments: readonly string[];
  readonly needs?: 'perf';
}

const CASES: readonly LiveCase[] = [
  { name: 'stack -p', args: (pid) => ['stack', '-p', String(pid)], moments: ['guarded', 'frozen'] },
  { name: 'objects --pid', args: (pid) => ['objects', '--pid', String(pid)], moments: ['frozen'] },
  { name: 'memory -p', args: (pid) => ['memory', '-p', String(pid)], moments: ['frozen'] },
  { name: 'leaks -p', args: (pid) => ['leaks', '-p', String(pid)], moments: ['frozen'] },
  { name: 'stacks -p', args: (pid) => ['stacks', '-p', String(pid)], moments: ['frozen'] },
  { name: 'snapshot -p', args: (pid, dir) => ['snapshot', '-p', String(pid), '-o', join(dir, 'core')], moments: ['filter-set', 'gcore-running', 'copying'] },
  { name: 'profile --mode inspector', args: (pid, dir) => ['profile', '-p', String(pid), '--mode', 'inspector', '-d', '30', '-o', join(dir, 'p.svg')], moments: ['inspector-open', 'profiling'] },
  { name: 'perfmap -p', args: (pid, dir) => ['perfmap', '-p', String(pid), '-o', join(dir, 'perf.map')], moments: ['frozen'] },
  { name: 'trace', args: (pid) => ['trace', '-p', String(pid), 'tick:100ms { @ = count() }'], moments: ['inspector-open', 'agent-injected', 'tracing'] },
  { name: 'profile --mode perf', args: (pid, dir) => ['profile', '-p', String(pid), '--mode', 'perf', '-d', '30', '-o', join(dir, 'p.svg')], moments: ['perf-running'], needs: 'perf' },
  { name: 'profile --mode perf --perf-transport file', args: (pid, dir) => ['profile', '-p', String(pid), '--mode', 'perf', '--perf-transport', 'file', '-d', '30', '-o', join(dir, 'p.svg')], moments: ['perf-running'], needs: 'perf' },
];

function perfWorks(): boolean {
  return spawnSync('perf', ['--version'], { timeout: 5000 }).status === 0 && process.getuid?.() === 0;
}

/** Temporary entries nodescope run `owner` may create: perf folders, gcore partials, sparse-copy partials. */
function ourTempEntries(dirs: readonly string[], owner: number): string[] {
  const ours = new RegExp(`^nodescope-perf-${owner}-|\\.partial-${owner}(\\.|$)`);
  const out: string[] = [];
  for (const d of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names) if (ours.test(n)) out.push(join(d, n));
  }
  return out;
}

/** The guards serving nodescope `owner` (guard-main.js --owner PID). */
const guardsOf = (owner: number): number[] => processesMatching((cmd) => cmd.some((w) => w.endsWith('guard-main.js')) && cmd.includes(String(owner)));

/** The PIDs of `pids` still running (a zombie waiting for init to reap it counts as gone). */
function alive(pids: readonly number[]): number[] {
  return pids.filter((p) => {
    const s = processState(p);
    return s !== undefined && s !== 'Z' && s !== 'X';
  });
}

async function until(done: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return done();
}

/** Starts nodescope in its own process group, stopped at `moment`; resolves once it is there. */
function startStopped(args: readonly string[], moment: string): Promise<{ pid: number; output: () => string; exited: Promise<void> }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', NODESCOPE_TEST_STOP_AT: moment },
  });
  let all = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.stdout!.on('data', (c: Buffer) => (all += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nodescope ${args.join(' ')} never reached '${moment}':\n${all}`));
    }, 60_000);
    child.stderr!.on('data', (c: Buffer) => {
      all += c.toString();
      if (all.includes(`test stop at ${moment}`)) {
        clearTimeout(timer);
        resolve({ pid: child.pid!, output: () => all, exited });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nodescope ${args.join(' ')} exited (${code}) before '${moment}':\n${all}`));
    });
  });
}

function kill(style: KillStyle, pid: number): void {
  if (style === 'process') process.kill(pid, 'SIGKILL');
  else if (style === 'group') process.kill(-pid, 'SIGKILL');
  else {
    // The whole tree at once: gdb, gcore's group and perf with it (the guard is in no tree of ours).
    for (const p of processTree(pid)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
}

function coredumpFilter(pid: number): string {
  return readFileSync(`/proc/${pid}/coredump_filter`, 'latin1').trim();
}

for (const major of testedMajors().slice(-1)) {
  describe(`kill -9 during live work (Node ${major})`, () => {
    const canPerf = perfWorks();
    for (const c of CASES) {
      for (const moment of c.moments) {
        for (const style of KILL_STYLES) {
          test(`${c.name}, killed (${style}) at ${moment}: the target is left as found`, { timeout: 120_000, skip: c.needs === 'perf' && !canPerf ? 'perf needs root and linux-perf' : false }, async () => {
            const node = await nodeBinary(major);
            const target: Spinner = await startSpinner(node.path);
            const outDir = mkdtempSync(join(tmpdir(), 'nodescope-kill-'));
            try {
              // A SIGKILLed trace target of an earlier test cannot remove its agent folder; a new target
              // that reuses its PID would find it there. Clear it, so only what this run leaves counts.
              const agentDir = join(tmpdir(), `nodescope-${target.pid}`);
              rmSync(agentDir, { recursive: true, force: true });
              const before = { filter: coredumpFilter(target.pid), ports: new Set(listeningPortsOf(target.pid)) };
              const tempDirs = [tmpdir(), '/dev/shm', outDir];
              const run = await startStopped(c.args(target.pid, outDir), moment);
              // Its helpers (gdb, gcore and its gdb, perf) as they are at the kill.
              const helpers = processTree(run.pid).filter((p) => p !== run.pid);
              assert.equal(guardsOf(run.pid).length, 1, 'one guard serves the run');
              kill(style, run.pid);
              await run.exited;
              // The guard notices the closed socket, carries out its duties and exits.
              const settled = await until(() => guardsOf(run.pid).length === 0, 20_000);
              assert.ok(settled, `the guard is still running:\n${run.output()}`);
              await until(() => alive(helpers).length === 0, 5000);
              assert.deepEqual(alive(helpers), [], 'no perf, gdb or gcore left');
              assert.deepEqual(threadStates(target.pid).filter((s) => s === 'T' || s === 't'), [], 'no thread stopped');
              assert.deepEqual(tracerPids(target.pid).filter((t) => t !== 0), [], 'no thread traced');
              assert.equal(coredumpFilter(target.pid), before.filter, 'coredump_filter restored');
              const opened = listeningPortsOf(target.pid).filter((p) => !before.ports.has(p));
              assert.deepEqual(opened, [], 'no inspector (or other listener) left open');
              assert.deepEqual(ourTempEntries(tempDirs, run.pid), [], 'no temporary files left');
              assert.ok(await until(() => !existsSync(agentDir), 5000), 'no trace agent socket left');
              assert.ok(target.child.exitCode === null && target.child.signalCode === null, 'the target still runs');
            } finally {
              await target.stop();
              rmSync(outDir, { recursive: true, force: true });
            }
          });
        }
      }
    }
  });
}
