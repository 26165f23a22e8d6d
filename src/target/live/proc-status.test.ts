// Unit tests of the /proc readers on this process and on a PID that does not exist.
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { test } from 'node:test';
import { anyThreadStopped, countTracedThreads, processExists, readCpuTicks, readExeLink, readProcessState, readTracerPid } from './proc-status.js';

const NO_SUCH_PID = 2 ** 22 + 11;

test('reads this process: running, untraced, its own executable', () => {
  assert.equal(readProcessState(process.pid), 'R');
  assert.equal(readProcessState(process.pid, process.pid), 'R');
  assert.equal(readTracerPid(process.pid), 0);
  assert.equal(countTracedThreads(process.pid), 0);
  assert.equal(anyThreadStopped(process.pid), false);
  assert.ok((readCpuTicks(process.pid) ?? -1) >= 0);
  assert.deepEqual(readExeLink(process.pid), { path: realpathSync(process.execPath) });
  assert.equal(processExists(process.pid), true);
});

test('a PID that does not exist reads as undefined, never throws', () => {
  assert.equal(readProcessState(NO_SUCH_PID), undefined);
  assert.equal(readTracerPid(NO_SUCH_PID), undefined);
  assert.equal(countTracedThreads(NO_SUCH_PID), 0);
  assert.equal(anyThreadStopped(NO_SUCH_PID), false);
  assert.equal(readCpuTicks(NO_SUCH_PID), undefined);
  assert.deepEqual(readExeLink(NO_SUCH_PID), { error: 'ENOENT' });
  assert.equal(processExists(NO_SUCH_PID), false);
});
