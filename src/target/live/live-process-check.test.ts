// Unit tests of the live-process checks and of coredump_filter on this process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TargetError } from '../../util/errors.js';
import { readCoredumpFilter, writeCoredumpFilter } from './coredump-filter.js';
import { checkLiveProcess } from './live-process-check.js';

test('this test process is a live process we may attach to, with its argv', () => {
  const p = checkLiveProcess(process.pid);
  assert.equal(p.pid, process.pid);
  assert.match(p.exe, /node/);
  assert.equal(p.state, 'R');
});

test('bad and missing PIDs get one clear TargetError', () => {
  for (const pid of [0, -3, 1.5, Number.NaN]) {
    assert.throws(() => checkLiveProcess(pid), (e: unknown) => e instanceof TargetError && /^invalid PID/.test(e.message));
  }
  const missing = 2 ** 22 + 13;
  assert.throws(() => checkLiveProcess(missing), (e: unknown) => e instanceof TargetError && e.message === `no process with PID ${missing}`);
});

test('coredump_filter reads back what was written', () => {
  const before = readCoredumpFilter(process.pid);
  assert.equal(typeof before, 'number');
  assert.equal(writeCoredumpFilter(process.pid, 0x3f), true);
  assert.equal(readCoredumpFilter(process.pid), 0x3f);
  assert.equal(writeCoredumpFilter(process.pid, before ?? 0x33), true);
  assert.equal(readCoredumpFilter(process.pid), before);
  assert.equal(readCoredumpFilter(2 ** 22 + 17), undefined);
});
