// memory, leaks and stacks on bad input: one line `nodescope: CODE: …`, exit 2, and no stack
// trace: a missing core, a missing target, and a live process that is not Node (sleep(1)).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { runCli, type CliRun } from '../cli/run-cli.js';

function oneLine(r: CliRun, code: string, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit 2, got ${r.code}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0]!.startsWith(`nodescope: ${code}: `), lines[0]);
  assert.match(lines[0]!, pattern);
}

describe('memory, leaks, stacks: bad input', () => {
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  after(() => sleeper.kill('SIGKILL'));

  test('a core that does not exist', () => {
    for (const c of ['memory', 'leaks', 'stacks']) oneLine(runCli([c, '/nonexistent/core.1']), 'FILE_ERROR', /core\.1: no such file/);
  });

  test('no target, or both a core and -p', () => {
    for (const c of ['memory', 'leaks', 'stacks']) {
      assert.equal(runCli([c]).code, 2);
      assert.equal(runCli([c, 'core.1', '-p', '1']).code, 2);
    }
  });

  test('a live process that is not Node is NOT_NODE', { timeout: 120_000 }, () => {
    for (const c of ['memory', 'leaks', 'stacks']) oneLine(runCli([c, '-p', String(sleeper.pid)], { timeoutMs: 60_000 }), 'NOT_NODE', /not a Node process/);
  });
});
