// `-p PID` on a live process of the primary major (through Session.openProcess's gcore
// snapshot: the process keeps running), and Workers' Environments, listed apart from the main
// one with the handles of their own loops, on every tested major.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { makeCore, scenarioPath } from '../harness/make-core.js';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nodescope-live-node-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('handles -p and why -p on a live event loop; the process keeps running', { timeout: 300_000 }, async () => {
  const node = await nodeBinary(testedMajors()[testedMajors().length - 1]!);
  const manifest = join(dir, 'manifest.json');
  const child = spawn(node.path, [scenarioPath('event-loop')], { cwd: dir, env: { ...process.env, NODESCOPE_MANIFEST: manifest }, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no ready line')), 60_000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('NODESCOPE_READY')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const view = (JSON.parse(readFileSync(manifest, 'utf8')) as { values: { ports: { tcp: number }; childPid: number } }).values;
    const r = runCli(['handles', '-p', String(child.pid), '--json'], { timeoutMs: 240_000 });
    assert.equal(r.code, 0, r.stderr);
    const handles = (JSON.parse(r.stdout) as { handles: { ownerConstructor?: string; local?: { port?: number }; pid?: number }[] }).handles;
    assert.ok(handles.some((h) => h.ownerConstructor === 'Server' && h.local?.port === view.ports.tcp));
    assert.ok(handles.some((h) => h.pid === view.childPid));
    const why = runCli(['why', '-p', String(child.pid)], { timeoutMs: 240_000 });
    assert.equal(why.code, 0, why.stderr);
    assert.match(why.stdout, /^live snapshot/);
    assert.equal(child.exitCode, null, 'still running');
    assert.equal(runCli(['handles', 'x.core', '-p', '1']).code, 2, 'a core and -p together are a usage error');
  } finally {
    child.kill('SIGKILL');
  }
});

for (const major of testedMajors()) {
  describe(`Workers, Node ${major}`, { timeout: 300_000 }, () => {
    test("a Worker's Environment is listed apart, with its own loop", async () => {
      const core = await makeCore(major, 'worker-thread');
      const info = JSON.parse(runCli(['info', core.corePath, '--binary', core.binary, '--json']).stdout) as { environment: { address?: string }; workers: string[] };
      assert.equal(info.workers.length, 1);
      assert.notEqual(info.workers[0], info.environment.address);
      const r = runCli(['handles', core.corePath, '--binary', core.binary, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const h = JSON.parse(r.stdout) as { loop: { address?: string }; workers: { environment: { address?: string }; loop?: { address?: string }; handles: { ownerConstructor?: string }[] }[] };
      assert.equal(h.workers.length, 1);
      assert.equal(h.workers[0]!.environment.address, info.workers[0]);
      assert.ok(h.workers[0]!.loop?.address !== undefined && h.workers[0]!.loop.address !== h.loop.address);
      assert.ok(h.workers[0]!.handles.some((x) => x.ownerConstructor === 'MessagePort'), "the worker's MessagePort handles");
    });
  });
}
