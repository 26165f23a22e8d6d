// The preloaded agent on every tested major: `node -r nodescope/agent` listens on an owner-only
// UNIX socket from start-up; trace connects there without the inspector and without any TCP
// port; after detach the agent stays (resident) with nothing enabled; one client at a time. Also
// nodescope/probes imported from ESM.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { repoRoot } from '../harness/repo-paths.js';
import { listeningPortsOf } from '../profile/live-helpers.js';
import { AgentClient } from '../../src/trace/agent-client.js';
import { entriesOf, finalJson, hit, runTraceCli, startService, stateOf } from './trace-helpers.js';

for (const major of testedMajors()) {
  const bin = await nodeBinary(major);

  test(`node ${bin.version}: a preloaded agent is traced over its socket, with no inspector and no TCP port`, { timeout: 90_000 }, async () => {
    // No --inspect-port: SIGUSR1 would open 9229, and the test checks no port opens at all.
    const s = await startService(bin.path, {}, ['-r', 'nodescope/agent']);
    try {
      const socket = join(tmpdir(), `nodescope-${s.pid}`, 'agent.sock');
      assert.equal(statSync(socket).mode & 0o777, 0o600, 'socket is owner-only');
      assert.equal(statSync(join(tmpdir(), `nodescope-${s.pid}`)).mode & 0o777, 0o700, 'its folder is owner-only');
      const ports = listeningPortsOf(s.pid);
      const before = await stateOf(s.port);
      let during: number[] = [];
      const r = await runTraceCli(['trace', '-p', String(s.pid), 'http:server-request { @[method] = count() } svc:req-done /arg0 != "/end"/ { @s = sum(arg1) } svc:req-start /arg0 == "/end"/ { exit() }', '--json'], {
        whenLive: async () => {
          for (let i = 0; i < 7; i++) await hit(s.port, 'GET', '/c');
          for (let i = 0; i < 2; i++) await hit(s.port, 'PUT', '/missing');
          during = listeningPortsOf(s.pid);
          // A second client is turned away while one is attached.
          await assert.rejects(AgentClient.connect(socket), /another nodescope is attached/);
          await hit(s.port, 'GET', '/end');
        },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.liveError, undefined, String(r.liveError));
      assert.equal(r.stderr, `tracing 3 probes in process ${s.pid}; Ctrl-C to stop\n`, 'one line on stderr, no inspector');
      assert.deepEqual(during, ports, 'no TCP port opened while tracing');
      const j = finalJson(r.stdout);
      assert.deepEqual(entriesOf(j, '@'), { GET: 8, PUT: 2 });
      assert.deepEqual(entriesOf(j, '@s'), { '': 7 * 200 + 2 * 404 });
      assert.equal(j.attach, 'preloaded');
      // Resident: still listening, with nothing enabled.
      assert.equal(statSync(socket).isSocket(), true);
      const after = await stateOf(s.port);
      assert.deepEqual({ ...after, agent: before.agent }, before);
      assert.equal(after.agent, true);
    } finally {
      await s.stop();
    }
  });
}

test('nodescope/probes imports from ESM through the package exports', () => {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'test', 'trace', 'fixtures', 'esm-probes.mjs')], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.stdout, 'function false 0\n', r.stderr);
});
