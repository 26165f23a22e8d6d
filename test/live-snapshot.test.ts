// The live snapshot engine on a spinning scenario: the core is an ELF core, the process keeps
// running and making progress, also when the snapshotter is killed (SIGKILL) or stopped (SIGTERM)
// mid-way; and bad PIDs get their one clear TargetError.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runCli } from './cli/run-cli.js';
import { isElfCore } from './harness/elf-header.js';
import { scenarioPath } from './harness/make-core.js';
import { nodeBinary } from './harness/node-binaries.js';
import { readCoredumpFilter } from '../src/target/live/coredump-filter.js';
import { readExeLink, readProcessState, readTracerPid } from '../src/target/live/proc-status.js';
import { snapshotProcess } from '../src/target/live/snapshot-process.js';
import { TargetError } from '../src/util/errors.js';

const PRIMARY_MAJOR = Number(process.env.NODESCOPE_PRIMARY_MAJOR ?? 24);
const TIMEOUT_MS = 180_000;
const CHILD_SCRIPT = fileURLToPath(new URL('./harness/snapshot-child.js', import.meta.url));

/** A spinning scenario whose stdout progress lines are counted as they come. */
interface Spinner {
  readonly child: ChildProcess;
  readonly pid: number;
  progress(): number;
}

async function until(what: string, timeoutMs: number, cond: () => boolean): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

async function startSpinner(work: string): Promise<Spinner> {
  const node = await nodeBinary(PRIMARY_MAJOR);
  const child = spawn(node.path, [scenarioPath('spin-loop')], {
    cwd: work,
    env: { ...process.env, NODESCOPE_MANIFEST: join(work, 'manifest.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let count = 0;
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    count += lines.filter((l) => l.startsWith('NODESCOPE_PROGRESS ')).length;
    if (lines.some((l) => l.startsWith('NODESCOPE_READY '))) ready = true;
  });
  let ready = false;
  await until('the ready line of spin-loop', 60_000, () => ready || child.exitCode !== null);
  assert.equal(child.exitCode, null, 'spin-loop is running');
  return { child, pid: child.pid ?? -1, progress: () => count };
}

async function assertKeepsRunning(s: Spinner): Promise<void> {
  await until(`PID ${s.pid} to have no tracer`, 60_000, () => readTracerPid(s.pid) === 0);
  const state = readProcessState(s.pid);
  assert.ok(state === 'R' || state === 'S', `state of PID ${s.pid} is ${state}, not R or S`);
  const seen = s.progress();
  await until(`PID ${s.pid} to report progress`, 60_000, () => s.progress() > seen);
}

describe('live snapshot', () => {
  let work = '';
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'nodescope-live-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('snapshots a spinning process into an ELF core and leaves it running', { timeout: TIMEOUT_MS }, async () => {
    const s = await startSpinner(work);
    try {
      const filterBefore = readCoredumpFilter(s.pid);
      const r = await snapshotProcess(s.pid, join(work, 'spin.core'));
      assert.equal(r.corePath, join(work, 'spin.core'));
      assert.ok(isElfCore(r.corePath), 'ET_CORE');
      assert.ok(r.bytes > 0 && r.ms >= 0);
      assert.equal(readCoredumpFilter(s.pid), filterBefore, 'coredump_filter restored');
      assert.deepEqual(readdirSync(work).filter((n) => n.includes('partial')), [], 'no partial file left');
      await assertKeepsRunning(s);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    test(`${signal} to the snapshotter mid-way leaves the target running`, { timeout: TIMEOUT_MS }, async () => {
      const s = await startSpinner(work);
      const out = join(work, `killed-${signal}.core`);
      const snapper = spawn(process.execPath, [CHILD_SCRIPT, String(s.pid), out], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        // Mid-way: gdb has attached to the target (it is traced) and the snapshot is not done.
        await until('gdb to attach', 60_000, () => (readTracerPid(s.pid) ?? 0) !== 0 || snapper.exitCode !== null);
        assert.equal(snapper.exitCode, null, 'the snapshotter was still at work when killed');
        snapper.kill(signal);
        await until('the snapshotter to exit', 60_000, () => snapper.exitCode !== null || snapper.signalCode !== null);
        await assertKeepsRunning(s);
        assert.equal(existsSync(out), false, 'no core written');
        // After SIGKILL, gcore finishes on its own and its wrapper removes the orphaned output.
        const partials = (): string[] => readdirSync(work).filter((n) => n.startsWith(`.killed-${signal}.core.partial`));
        await until('the partial core to be removed', 60_000, () => partials().length === 0);
      } finally {
        snapper.kill('SIGKILL');
        s.child.kill('SIGKILL');
      }
    });
  }

  test('names the problem with a PID that does not exist or is not Node', { timeout: TIMEOUT_MS }, async () => {
    await assert.rejects(snapshotProcess(2 ** 22 + 7, join(work, 'none.core')), (e: unknown) => e instanceof TargetError && e.message === `no process with PID ${2 ** 22 + 7}`);
    const sleeper = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    try {
      await until('sleep to exec', 10_000, () => {
        const link = readExeLink(sleeper.pid ?? -1);
        return 'path' in link && link.path.endsWith('sleep');
      });
      // snapshotProcess writes a core of any process; the command refuses one that is not Node
      // before it changes anything.
      const r = runCli(['snapshot', '-p', String(sleeper.pid), '-o', join(work, 'sleep.core')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^nodescope: NOT_NODE: PID \d+ is not a Node process \(exe: .*sleep\)\n$/);
      assert.equal(existsSync(join(work, 'sleep.core')), false);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
