// Node's runtime state on real cores of every tested major, against the event-loop scenario's
// own view recorded before the core was taken: its listening ports, its peer socket, its child's
// pid, the fds and handle states of process.report's libuv list, its pending fs.open path, its
// timers' names and delays, the callbacks it queued and the promises it left pending.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeCore, type CoreResult } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';

interface Endpoint {
  address?: string;
  port?: number;
}
interface Handle {
  type: string;
  active: boolean;
  ref: boolean;
  fd?: number;
  local?: Endpoint;
  remote?: Endpoint;
  pid?: number;
  owner?: string;
  ownerConstructor?: string;
  address: string;
  internal?: boolean;
  closing?: boolean;
}
interface Callback {
  name: string;
  script?: string;
  line?: number;
}
interface View {
  ports: { tcp: number; http: number };
  client: { localPort: number };
  childPid: number;
  fifo: string;
  libuv: { type: string; address: string; isActive: boolean; isReferenced: boolean; fd?: number; pid?: number }[];
  timers: { name: string; delay: number; repeat: boolean; ref: boolean }[];
  immediates: string[];
  nextTicks: string[];
  microtasks: string[];
  promiseGroups: Record<string, number>;
  rejected: { constructor: string; message: string }[];
}

function json<T>(core: CoreResult, args: readonly string[]): T {
  const r = runCli([...args, core.corePath, '--binary', core.binary, '--json'], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, `nodescope ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

for (const major of testedMajors()) {
  describe(`Node state of the event-loop scenario, Node ${major}`, { timeout: 900_000 }, () => {
    let core: CoreResult;
    let view: View;

    test('the core is made', async () => {
      core = await makeCore(major, 'event-loop');
      view = (core.manifest as unknown as { values: View }).values;
    });

    test('handles: listening ports, the peer socket, the child pid, fds and states as process.report saw them', () => {
      const r = json<{ handles: Handle[]; environment: { address?: string; foundBy?: string[] }; wrapsNotOnLoop: string[] }>(core, ['handles']);
      assert.deepEqual(r.environment.foundBy, ['context', 'vtable'], 'both routes find the one Environment');
      assert.deepEqual(r.wrapsNotOnLoop, []);
      const open = r.handles.filter((h) => h.closing !== true);
      const servers = open.filter((h) => h.ownerConstructor === 'Server');
      assert.deepEqual(servers.map((h) => h.local?.port).sort(), [view.ports.tcp, view.ports.http].sort());
      assert.equal(servers.find((h) => h.local?.port === view.ports.http)?.ref, false, 'the unref\'d HTTP server');
      const accepted = open.find((h) => h.type === 'tcp' && h.remote?.port === view.client.localPort);
      assert.ok(accepted, 'the accepted socket names its peer');
      assert.equal(accepted.local?.port, view.ports.tcp);
      assert.equal(accepted.ownerConstructor, 'Socket');
      const client = open.find((h) => h.type === 'tcp' && h.ownerConstructor === 'Socket' && h !== accepted);
      assert.equal(client?.remote?.port, view.ports.tcp, "the client socket's remote end, from its connect request");
      const child = r.handles.find((h) => h.type === 'process');
      assert.equal(child?.pid, view.childPid);
      assert.equal(child?.ownerConstructor, 'ChildProcess');
      // Every handle process.report listed (but the loop itself) is on our list, with its fd and state.
      for (const h of view.libuv.filter((x) => x.type !== 'loop')) {
        const mine = r.handles.find((x) => BigInt(x.address) === BigInt(h.address));
        assert.ok(mine, `${h.type} handle ${h.address} of process.report`);
        assert.equal(mine.type, h.type);
        // Node's own idle/check/async handles change state after the report (setImmediate starts the idle handle).
        if (['tcp', 'pipe', 'tty', 'udp', 'process', 'signal'].includes(h.type)) {
          assert.equal(mine.active, h.isActive, `${h.type} ${h.address} active`);
          assert.equal(mine.ref, h.isReferenced, `${h.type} ${h.address} ref`);
        }
        if (h.fd !== undefined && h.fd >= 0) assert.equal(mine.fd, h.fd, `${h.type} fd`);
        if (h.pid !== undefined) assert.equal(mine.pid, h.pid);
      }
    });

    test('requests: the pending fs.open with its path and callback, the stalled write and the connect', () => {
      const r = json<{ requests: { type: string; operation?: string; path?: string; wrapConstructor?: string; callback?: Callback; handle?: string }[] }>(core, ['requests']);
      const open = r.requests.find((q) => q.type === 'fs');
      assert.equal(open?.operation, 'open');
      assert.equal(open?.path, view.fifo);
      assert.equal(open?.callback?.name, 'onFifoOpen');
      assert.equal(open?.wrapConstructor, 'FSReqCallback');
      const write = r.requests.find((q) => q.type === 'write');
      assert.equal(write?.wrapConstructor, 'WriteWrap');
      const connect = r.requests.find((q) => q.type === 'connect');
      assert.equal(connect?.handle, write?.handle, 'the connect and the write act on the same stream');
    });

    test("timers: each callback's name and file, delay, repeat and ref'd state; due within its delay", () => {
      const r = json<{ timers: { callback?: Callback; delay: number; repeat: number | null; dueInMs?: number; ref: boolean }[] }>(core, ['timers']);
      for (const t of view.timers) {
        const mine = r.timers.find((x) => x.callback?.name === t.name);
        assert.ok(mine, t.name);
        assert.equal(mine.callback?.script, core.manifest.script);
        assert.equal(mine.delay, t.delay);
        assert.equal(mine.repeat, t.repeat ? t.delay : null);
        assert.equal(mine.ref, t.ref);
        assert.ok(mine.dueInMs !== undefined && mine.dueInMs <= t.delay && mine.dueInMs > t.delay - 5000, `${t.name} due in ${mine.dueInMs} ms`);
      }
    });

    test('queues: nextTick, microtask and immediate callbacks by name, in order', () => {
      const r = json<Record<'nextTick' | 'microtasks' | 'immediates', { callback?: Callback }[]> & { problems: string[] }>(core, ['queues']);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(r.nextTick.map((e) => e.callback?.name), view.nextTicks);
      assert.deepEqual(r.microtasks.map((e) => e.callback?.name), view.microtasks);
      assert.deepEqual(r.immediates.map((e) => e.callback?.name), view.immediates);
    });

    test('promises: pending ones grouped by handler with counts, the unhandled rejection with its reason', () => {
      const r = json<{ pending: number; groups: { handler: Callback; count: number }[]; rejected: { reason: { constructor: string; message: string; stack?: string } }[] }>(core, ['promises']);
      for (const [name, count] of Object.entries(view.promiseGroups)) assert.equal(r.groups.find((g) => g.handler.name === name)?.count, count, name);
      assert.ok(r.pending >= 8);
      const lost = r.rejected.map((x) => x.reason);
      for (const want of view.rejected) {
        const got = lost.find((x) => x.message === want.message);
        assert.equal(got?.constructor, want.constructor);
        assert.match(got?.stack ?? '', /\n {4}at pendingPromises \(.*event-loop\.js:\d+:\d+\)/, 'the stack as V8 formats it, with names');
      }
    });

    test('info and why: pid, versions, argv; a live snapshot and the loop in brief', () => {
      const info = json<{ pid: number; node: { version?: string }; v8: { version?: string }; argv?: string[]; execArgv?: string[]; execPath?: string; fatal: { kind: string } }>(core, ['info']);
      assert.equal(info.pid, core.pid);
      assert.equal(`v${info.node.version}`, core.manifest.nodeVersion);
      assert.match(info.v8.version ?? '', /^\d+\.\d+\.\d+/);
      assert.deepEqual(info.execArgv, core.manifest.execArgv);
      assert.equal(info.argv?.[1], core.manifest.script);
      assert.equal(info.fatal.kind, 'snapshot');
      const why = json<{ summary: string; loop: { handles: Handle[]; timers: number; nextTick: number; alive: boolean } }>(core, ['why']);
      assert.match(why.summary, /^live snapshot/);
      assert.equal(why.loop.alive, true);
      assert.equal(why.loop.timers >= view.timers.length, true);
      assert.equal(why.loop.nextTick, view.nextTicks.length);
      const text = runCli(['why', core.corePath, '--binary', core.binary], { timeoutMs: 300_000 });
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, new RegExp(`Server +127\\.0\\.0\\.1:${view.ports.tcp}`));
      assert.match(text.stdout, new RegExp(`ChildProcess +pid ${view.childPid}`));
    });
  });
}
