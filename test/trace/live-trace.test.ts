// Live trace tests on every tested major: `nodescope trace` against a running HTTP service
// (test/trace/fixtures/service.cjs). Exact counts and sums for a known request mix through built-in
// and module probes, predicates, self. variables across a timer and a promise hop, a GC quantize
// with samples, module-probe callbacks that run only while traced, and nothing left after detach
// (no inspector port, no agent socket, no subscriber, listener or timer).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { listeningPortsOf } from '../profile/live-helpers.js';
import { entriesOf, finalJson, hit, runTraceCli, startService, stateOf } from './trace-helpers.js';

const MIX_PROGRAM = `
http:server-request /method == "POST"/ { @posts[url] = count() }
http:server-response /url != "/end"/ { @status[status] = count(); @lat = quantize(latency_ms) }
svc:req-start { self.t = timestamp; self.url = arg0 }
svc:req-done /self.t && self.url == arg0 && arg0 != "/end"/ { @done[arg0] = count(); @code = sum(arg1); @ms = quantize((timestamp - self.t) / 1e6); self.t = 0 }
svc:req-start /arg0 == "/end"/ { exit() }
http:server-request { self.u = url }
http:server-response /url != "/end"/ { @same[self.u == url] = count() }
`;

async function mix(port: number): Promise<void> {
  // Concurrent, so that self. variables of different requests interleave.
  const reqs: Array<Promise<unknown>> = [];
  for (let i = 0; i < 6; i++) reqs.push(hit(port, 'POST', '/a'));
  for (let i = 0; i < 4; i++) reqs.push(hit(port, 'POST', '/b'));
  for (let i = 0; i < 5; i++) reqs.push(hit(port, 'GET', '/c'));
  for (let i = 0; i < 3; i++) reqs.push(hit(port, 'GET', '/missing'));
  await Promise.all(reqs);
  await hit(port, 'GET', '/end');
}

for (const major of testedMajors()) {
  const bin = await nodeBinary(major);

  test(`node ${bin.version}: exact counts and sums via built-in and module probes; self. across async hops; nothing left after detach`, { timeout: 90_000 }, async () => {
    const s = await startService(bin.path);
    try {
      const ports = listeningPortsOf(s.pid);
      const before = await stateOf(s.port);
      await hit(s.port, 'GET', '/c');
      assert.equal((await hit(s.port, 'GET', '/calls')).body, '0', 'untraced: no probe callback ran');
      const r = await runTraceCli(['trace', '-p', String(s.pid), MIX_PROGRAM, '--json'], { whenLive: () => mix(s.port) });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.liveError, undefined);
      assert.equal(r.stderr, `tracing 4 probes in process ${s.pid}; Ctrl-C to stop\n`, 'one line on stderr');
      const j = finalJson(r.stdout);
      assert.deepEqual(entriesOf(j, '@posts'), { '/a': 6, '/b': 4 });
      assert.deepEqual(entriesOf(j, '@status'), { '200': 15, '404': 3 });
      assert.deepEqual(entriesOf(j, '@done'), { '/a': 6, '/b': 4, '/c': 5, '/missing': 3 });
      assert.deepEqual(entriesOf(j, '@code'), { '': 15 * 200 + 3 * 404 });
      assert.deepEqual(entriesOf(j, '@same'), { '1': 18 }, 'self.u set at the request is seen at its own response');
      const lat = entriesOf(j, '@lat')[''] as { count: number; buckets: Array<{ from: number; count: number }> };
      assert.equal(lat.count, 18);
      assert.equal(lat.buckets.reduce((n, b) => n + b.count, 0), 18);
      assert.equal((entriesOf(j, '@ms')[''] as { count: number }).count, 18);
      assert.equal(j.drops, 0);
      assert.deepEqual([...j.probes].sort(), ['http:server-request', 'http:server-response', 'svc:req-done', 'svc:req-start']);
      // Detached: the callbacks stop running, and everything the agent made is gone.
      const traced = Number((await hit(s.port, 'GET', '/calls')).body);
      assert.ok(traced >= 2 * 18, `callbacks ran ${traced} times while traced`);
      for (let i = 0; i < 3; i++) await hit(s.port, 'GET', '/c');
      assert.equal(Number((await hit(s.port, 'GET', '/calls')).body), traced, 'no callback after detach');
      assert.deepEqual(await stateOf(s.port), before, 'no subscriber, listener, timer, agent or enabled probe left');
      assert.deepEqual(listeningPortsOf(s.pid), ports, 'no inspector port left open');
      assert.equal(existsSync(`${tmpdir()}/nodescope-${s.pid}`), false, 'no agent socket left');
    } finally {
      await s.stop();
    }
  });

  test(`node ${bin.version}: a GC quantize has samples`, { timeout: 90_000 }, async () => {
    const s = await startService(bin.path);
    try {
      const program = 'gc:done { @["us"] = quantize(duration_us); @kinds[kind] = count() } svc:req-start /arg0 == "/end"/ { exit() }';
      const r = await runTraceCli(['trace', '-p', String(s.pid), program, '--json'], {
        whenLive: async () => {
          for (let i = 0; i < 8; i++) await hit(s.port, 'GET', '/alloc');
          await hit(s.port, 'GET', '/end');
        },
      });
      assert.equal(r.code, 0, r.stderr);
      const us = entriesOf(finalJson(r.stdout), '@')['us'] as { count: number; sum: number; buckets: Array<{ from: number; count: number }> };
      assert.ok(us.count >= 1, 'at least one GC');
      assert.equal(us.buckets.reduce((n, b) => n + b.count, 0), us.count);
      assert.ok(us.sum > 0);
      const kinds = entriesOf(finalJson(r.stdout), '@kinds');
      assert.equal(Object.values(kinds).reduce((a: number, b) => a + Number(b), 0), us.count);
      for (const k of Object.keys(kinds)) assert.match(k, /^(minor|major|incremental|weakcb)$/);
    } finally {
      await s.stop();
    }
  });
}
