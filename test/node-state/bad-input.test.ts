// Bad input: a core whose Environment cannot be found (its vtable pointer wiped in a copy of the
// event-loop core, so neither the context route nor the vtable scan accepts it). Each command
// still prints what it can, with one line for the part that failed: the loop's handles without
// owners, the JS timers and queues (reached through the frames), the process and how it ended.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Session } from '../../src/analysis/session.js';
import { PT_LOAD } from '../../src/elf/constants.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { FileByteSource } from '../../src/io/byte-source.js';
import { makeCore, type CoreResult } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nodescope-node-bad-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the core with 8 zero bytes at virtual address `at`. */
function wiped(core: CoreResult, at: number): string {
  const out = join(dir, `no-env-${core.major}.core`);
  execFileSync('cp', ['--sparse=always', core.corePath, out]);
  const elf = ElfFile.open(new FileByteSource(out));
  const seg = elf.programHeaders.find((p) => p.type === PT_LOAD && p.vaddr <= at && at + 8 <= p.vaddr + p.filesz);
  elf.source.close();
  assert.ok(seg, 'the Environment is in the core');
  const fd = openSync(out, 'r+');
  writeSync(fd, Buffer.alloc(8), 0, 8, seg.offset + (at - seg.vaddr));
  closeSync(fd);
  return out;
}

function environmentOf(core: CoreResult): number {
  const s = Session.openCore(core.corePath, { binary: core.binary });
  try {
    const found = s.node().environments();
    assert.ok(!('missing' in found));
    return found.environments[0]!.address;
  } finally {
    s.close();
  }
}

for (const major of testedMajors()) {
  describe(`a core without a findable Environment, Node ${major}`, { timeout: 600_000 }, () => {
    let core: CoreResult;
    let bad: string;
    const run = (args: readonly string[]): ReturnType<typeof runCli> => runCli([...args, bad, '--binary', core.binary], { timeoutMs: 300_000 });

    test('the copy is made', async () => {
      core = await makeCore(major, 'event-loop');
      bad = wiped(core, environmentOf(core));
    });

    test('handles: one line says the Environment is missing; the loop still lists every handle and fd', () => {
      const text = run(['handles']);
      assert.equal(text.code, 0, text.stderr);
      const lines = text.stdout.split('\n').filter((l) => /Environment not found/.test(l));
      assert.equal(lines.length, 1);
      const r = JSON.parse(run(['handles', '--json']).stdout) as { environment: { problem?: string }; handles: { type: string; fd?: number; pid?: number; owner?: string }[] };
      assert.match(r.environment.problem ?? '', /^Environment not found/);
      const view = (core.manifest as unknown as { values: { libuv: { type: string; fd?: number }[]; childPid: number } }).values;
      const fds = view.libuv.filter((h) => h.type === 'tcp' && h.fd !== undefined && h.fd >= 0).map((h) => h.fd);
      assert.deepEqual(r.handles.filter((h) => h.type === 'tcp' && h.fd !== undefined).map((h) => h.fd).sort(), fds.sort());
      assert.equal(r.handles.find((h) => h.type === 'process')?.pid, view.childPid);
      assert.ok(r.handles.every((h) => h.owner === undefined), 'no wraps without the Environment');
    });

    test('timers, queues and info still read the JS side; requests say why they cannot', () => {
      const timers = JSON.parse(run(['timers', '--json']).stdout) as { timers: { callback?: { name: string } }[] };
      assert.ok(timers.timers.some((t) => t.callback?.name === 'pollInventory'));
      const queues = JSON.parse(run(['queues', '--json']).stdout) as { nextTick: { callback?: { name: string } }[] };
      assert.deepEqual(queues.nextTick.map((e) => e.callback?.name), ['flushLogs', 'emitReady']);
      const info = JSON.parse(run(['info', '--json']).stdout) as { pid: number; problems: string[]; fatal: { kind: string } };
      assert.equal(info.pid, core.pid);
      assert.equal(info.fatal.kind, 'snapshot');
      assert.equal(info.problems.filter((p) => /Environment not found/.test(p)).length, 1);
      const req = run(['requests']);
      assert.equal(req.code, 0, req.stderr);
      assert.match(req.stdout, /Environment not found/);
      const why = run(['why']);
      assert.equal(why.code, 0, why.stderr);
      assert.match(why.stdout, /^live snapshot/);
      assert.match(why.stdout, /timers, next/);
    });
  });
}
