// Unit tests of the snapshot engine parts that need no gdb: resuming a stopped process, output checks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { TargetError } from '../../util/errors.js';
import { readExeLink, readProcessState } from './proc-status.js';
import { resumeIfStopped, snapshotProcess } from './snapshot-process.js';

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await delay(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('resumeIfStopped continues a stopped process and leaves a running one alone', { timeout: 60_000 }, async () => {
  const child = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
  const pid = child.pid ?? -1;
  try {
    await until('sleep to exec', () => {
      const link = readExeLink(pid);
      return 'path' in link && link.path.endsWith('sleep');
    });
    assert.equal(resumeIfStopped(pid), false);
    child.kill('SIGSTOP');
    await until('the stop', () => readProcessState(pid) === 'T');
    assert.equal(resumeIfStopped(pid), true);
    await until('the continue', () => readProcessState(pid) === 'S');
  } finally {
    child.kill('SIGKILL');
  }
});

test('snapshotProcess refuses a missing output folder before touching the target', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-snap-'));
  try {
    await assert.rejects(snapshotProcess(process.pid, join(dir, 'no', 'such', 'core')), (e: unknown) => e instanceof TargetError && /no directory/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
