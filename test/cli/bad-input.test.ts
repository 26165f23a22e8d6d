// Bad input of every kind gets one clear line on stderr, naming the file or PID, and exit code 2:
// never a stack trace, a hang or a crash.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, after } from 'node:test';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli, waitForFirstOutput, type CliRun } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nodescope-bad-'));
const major = testedMajors()[0]!;
const other = testedMajors().find((m) => m !== major);

/** Exit 2 and one line `nodescope: CODE: …` matching `pattern` (and `code`, when given). */
function expectOneLine(r: CliRun, pattern: RegExp, code?: string): void {
  assert.equal(r.code, 2, `exit code 2, got ${r.code}; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^nodescope: [A-Z_]+: \S/, 'the line names its error code');
  if (code !== undefined) assert.ok(lines[0]!.startsWith(`nodescope: ${code}: `), `code ${code}: ${lines[0]}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('bad input', () => {
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  after(() => {
    sleeper.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a file that is not ELF', () => {
    const f = join(dir, 'notes.txt');
    writeFileSync(f, 'hello, this is not a core\n');
    expectOneLine(runCli(['stack', f]), /notes\.txt: not an ELF file/);
  });

  test('a file that does not exist', () => {
    expectOneLine(runCli(['stack', join(dir, 'nope.core')]), /nope\.core: no such file; check the path/, 'FILE_ERROR');
  });

  test('a folder or a device where a file belongs', () => {
    expectOneLine(runCli(['layout', dir]), /: is a folder; give the path of a file$/, 'FILE_ERROR');
    expectOneLine(runCli(['stack', '/dev/zero']), /\/dev\/zero: is a device; give the path of a file$/, 'FILE_ERROR');
  });

  test('corrupt program headers are called damage, not truncation', { timeout: 300_000 }, async () => {
    const r = await makeCore(major, 'sync-chain');
    const bad = join(dir, 'corrupt.core');
    copyFileSync(r.corePath, bad);
    const fd = openSync(bad, 'r+');
    try {
      const h = Buffer.alloc(64);
      readSync(fd, h, 0, 64, 0);
      const phoff = Number(h.readBigUInt64LE(32));
      const ph = Buffer.alloc(56 * 8);
      readSync(fd, ph, 0, ph.length, phoff);
      const firstLoad = [...Array(8).keys()].find((i) => ph.readUInt32LE(i * 56) === 1)!;
      const size = Buffer.alloc(8);
      size.writeBigUInt64LE(0x850000000000n);
      writeSync(fd, size, 0, 8, phoff + firstLoad * 56 + 32); // p_filesz of the first PT_LOAD
    } finally {
      closeSync(fd);
    }
    expectOneLine(runCli(['stack', bad]), /program header \d+ is corrupt .*the core is damaged, not just cut short/, 'FORMAT_ERROR');
  });

  test('arguments are parsed strictly', () => {
    expectOneLine(runCli(['stack', '-p', '']), /-p\/--pid takes a whole number of at least 1, not ''/, 'USAGE');
    expectOneLine(runCli(['stack', '-p', '0x10']), /-p\/--pid takes a whole number of at least 1, not '0x10'/, 'USAGE');
    expectOneLine(runCli(['frame', join(dir, 'x.core'), '1', '--depth', '-1']), /--depth takes a whole number of at least 0, not '-1'/, 'USAGE');
    expectOneLine(runCli(['frame', join(dir, 'x.core'), '1', '--depth', '']), /--depth takes a whole number of at least 0, not ''/, 'USAGE');
    expectOneLine(runCli(['print', join(dir, 'x.core'), '0xfffffffffffffffe']), /0xfffffffffffffffe is beyond x86-64 user space/, 'USAGE');
    expectOneLine(runCli(['print', join(dir, 'x.core'), 'zz']), /'zz' is not an address/, 'USAGE');
  });

  test('an ELF file that is not a core', () => {
    expectOneLine(runCli(['stack', '/bin/ls']), /\/bin\/ls: is an ELF file but not a core/);
  });

  test('a truncated core', { timeout: 300_000 }, async () => {
    const r = await makeCore(major, 'sync-chain');
    const cut = join(dir, 'cut.core');
    const fd = openSync(r.corePath, 'r');
    const buf = Buffer.alloc(4 * 1024 * 1024);
    readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    writeFileSync(cut, buf);
    // As gdb does, a truncated core is read as far as it goes, with warnings that say so. gcore
    // writes its notes last, so this cut also loses the threads: there is no stack to print.
    const run = runCli(['stack', cut, '--binary', r.binary]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^nodescope: warning: .*cut\.core is truncated: .* MiB of its .* MiB of memory are in the file/);
    assert.match(lines[1] ?? '', /^nodescope: warning: .*its notes lie past the cut, so it has no threads/);
    assert.equal(lines.length, 2, run.stderr);
    // Without --binary such a core cannot be read at all: one line says what to pass.
    expectOneLine(runCli(['stack', cut]), /cut\.core: is truncated before its notes .* pass the node binary .* with --binary/);
  });

  test('a core of a process that is not Node', { timeout: 120_000 }, () => {
    const prefix = join(dir, 'sleep');
    const g = spawnSync('gcore', ['-o', prefix, String(sleeper.pid)], { timeout: 60_000, encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    expectOneLine(runCli(['stack', `${prefix}.${sleeper.pid}`]), /not a Node process core .*carries no V8 metadata/);
  });

  test('print of an address that is not a heap object', { timeout: 300_000 }, async () => {
    const r = await makeCore(major, 'sync-chain');
    expectOneLine(runCli(['print', r.corePath, '0x10']), /0x10 is not in the core .*give the address of a heap object/, 'NOT_AN_OBJECT');
  });

  test('a binary that does not exist', { timeout: 300_000 }, async () => {
    const r = await makeCore(major, 'sync-chain');
    expectOneLine(runCli(['stack', r.corePath, '--binary', join(dir, 'no-node')]), /no-node: no such binary/);
    expectOneLine(runCli(['stack', r.corePath, '--binary', dir]), /: is a folder; give the path of a file$/, 'FILE_ERROR');
  });

  test('a binary that is not the one the core was made by', { timeout: 300_000, skip: other === undefined }, async () => {
    const r = await makeCore(major, 'sync-chain');
    const o = await makeCore(other!, 'sync-chain');
    expectOneLine(runCli(['stack', r.corePath, '--binary', o.binary]), /build-id [0-9a-f]+ does not match the core's [0-9a-f]+/);
  });

  test('the node binary gone from where the core says it was', { timeout: 300_000 }, async () => {
    const r = await makeCore(major, 'sync-chain');
    const copy = join(dir, 'node-copy');
    copyFileSync(r.binary, copy);
    chmodSync(copy, 0o755);
    const child = spawn(copy, ['-e', 'console.log("ready"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await waitForFirstOutput(child);
      const prefix = join(dir, 'gone');
      const g = spawnSync('gcore', ['-o', prefix, String(child.pid)], { timeout: 120_000, encoding: 'utf8' });
      assert.equal(g.status, 0, g.stderr);
      child.kill('SIGKILL');
      unlinkSync(copy);
      expectOneLine(runCli(['stack', `${prefix}.${child.pid}`]), /the binary it was made from \(.*node-copy\) is not on this machine; pass it with --binary/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a binary without V8 metadata', () => {
    expectOneLine(runCli(['layout', '/bin/ls']), /\/bin\/ls: has no V8 postmortem metadata/);
  });

  test('a PID that does not exist', () => {
    expectOneLine(runCli(['stack', '-p', '999999999']), /no process with PID 999999999/, 'NO_PROCESS');
    expectOneLine(runCli(['profile', '-p', '999999999']), /no process with PID 999999999/, 'NO_PROCESS');
    expectOneLine(runCli(['snapshot', '-p', '999999999']), /no process with PID 999999999/, 'NO_PROCESS');
  });

  test('a PID that is not Node', () => {
    expectOneLine(runCli(['stack', '-p', String(sleeper.pid)]), new RegExp(`PID ${sleeper.pid} is not a Node process`), 'NOT_NODE');
  });

  test('no permission to attach', () => {
    expectOneLine(runCli(['stack', '-p', String(sleeper.pid)], { wrapper: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] }), new RegExp(`no permission to attach to PID ${sleeper.pid}: run as root or as the process's user`), 'NO_PERMISSION');
  });

  test('an unknown command and a bad option', () => {
    expectOneLine(runCli(['frobnicate']), /no command 'frobnicate'/);
    expectOneLine(runCli(['stack', '--frob']), /unknown option --frob/);
  });
});
