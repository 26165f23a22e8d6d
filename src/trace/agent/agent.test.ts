// The agent in this very process: attach, connect over its socket, load compiled programs, drive
// known HTTP and module-probe traffic, and check exact aggregations, self. variables across async
// boundaries, and that nothing is left after detach.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { test } from 'node:test';
import dc from 'node:diagnostics_channel';
import { attach } from './agent.cjs';
import { createProvider } from '../probes/probes.cjs';
import { AgentClient, type AgentMessage } from '../agent-client.js';
import { compileTrace } from '../lang/compile.js';

const req = createRequire(import.meta.url);

function get(port: number, method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    r.on('error', reject);
    r.end();
  });
}

async function withServer(handler: Parameters<typeof createServer>[1], fn: (port: number) => Promise<void>): Promise<void> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn((server.address() as { port: number }).port);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

async function session(t: { after(fn: () => Promise<void>): void }): Promise<{ client: AgentClient; socket: string; records: AgentMessage[] }> {
  const h = attach({ mode: 'injected' }, req);
  const { client } = await AgentClient.connect(h.socket);
  t.after(() => client.close());
  const records: AgentMessage[] = [];
  client.onRecord((m) => records.push(m));
  return { client, socket: h.socket, records };
}

type Agg = { name: string; kind: string; entries: Array<{ key: unknown[]; value: any }> };
const byName = (aggs: unknown, name: string): Agg => (aggs as Agg[]).find((a) => a.name === name)!;
const table = (a: Agg): Record<string, unknown> => Object.fromEntries(a.entries.map((e) => [e.key.join(','), e.value]));

test('built-in HTTP probes count a known request mix exactly; predicates filter; latency is quantized', async (t) => {
  const { client, socket } = await session(t);
  assert.equal(statSync(socket).mode & 0o777, 0o600);
  assert.equal(statSync(dirname(socket)).mode & 0o777, 0o700);
  const program = compileTrace('http:server-request /method == "POST"/ { @[url] = count() }\nhttp:server-response { @status[method, status] = sum(1); @lat = quantize(latency_ms); @mx = max(status) }\nhttp:server-request { @js[jstack(3)] = count() }\nhttp:server-request /arg0 == "POST"/ { @byarg[arg1] = count() }');
  const loaded = await client.request({ op: 'load', program }, ['loaded']);
  assert.deepEqual(loaded.probes, ['http:server-request', 'http:server-response']);
  await withServer((q, s) => { s.statusCode = q.url === '/missing' ? 404 : 200; s.end('x'); }, async (port) => {
    for (let i = 0; i < 5; i++) await get(port, 'POST', '/a');
    for (let i = 0; i < 3; i++) await get(port, 'POST', '/b');
    for (let i = 0; i < 4; i++) await get(port, 'GET', '/c');
    for (let i = 0; i < 2; i++) await get(port, 'GET', '/missing');
  });
  const end = await client.request({ op: 'stop' }, ['end']);
  assert.deepEqual(table(byName(end.aggregations, '@')), { '/a': 5, '/b': 3 });
  assert.deepEqual(table(byName(end.aggregations, '@byarg')), { '/a': 5, '/b': 3 }, 'arg0, arg1 are method and url');
  assert.deepEqual(table(byName(end.aggregations, '@status')), { 'POST,200': 8, 'GET,200': 4, 'GET,404': 2 });
  const lat = byName(end.aggregations, '@lat').entries[0]!.value as { count: number; buckets: Array<{ from: number; count: number }> };
  assert.equal(lat.count, 14);
  assert.equal(lat.buckets.reduce((n, b) => n + b.count, 0), 14);
  assert.equal(byName(end.aggregations, '@mx').entries[0]!.value, 404);
  assert.equal(end.drops, 0);
  const stacks = byName(end.aggregations, '@js').entries.map((e) => String(e.key[0]));
  assert.ok(stacks.length >= 1 && stacks.every((st) => st.split('\n').length === 3 && !/agent\.cjs|nodescope/.test(st)), `stacks start below the agent: ${stacks.join('\n---\n')}`);
  await client.close();
  assert.equal(dc.hasSubscribers('http.server.request.start'), false, 'no subscriber left');
  assert.equal(existsSync(socket), false, 'socket removed');
  assert.equal(existsSync(dirname(socket)), false, 'folder removed');
});

test('module probes: the callback runs only while traced; self. variables follow the async context', async (t) => {
  const dtp = createProvider('agenttest');
  const start = dtp.addProbe('req-start', 'string');
  const done = dtp.addProbe('req-done', 'string', 'int');
  let calls = 0;
  const work = async (name: string, ms: number): Promise<void> => {
    start.fire(() => { calls++; return [name]; });
    await new Promise((r) => setTimeout(r, ms));
    await Promise.resolve();
    done.fire(() => { calls++; return [name, ms]; });
  };
  await work('before', 1);
  assert.equal(calls, 0, 'no callback while nothing is traced');
  const { client } = await session(t);
  const program = compileTrace('agenttest:req-start { self.name = arg0; self.t = timestamp }\nagenttest:req-done /!self.t/ { @orphan[arg0] = count() }\nagenttest:req-done /self.t && self.name == arg0/ { @ok[arg0] = count(); @ms = sum(arg1); self.t = 0 }');
  await client.request({ op: 'load', program }, ['loaded']);
  // Interleaved, each in its own async context (as requests are): each chain keeps its own self.name.
  const inContext = (name: string, ms: number): Promise<void> => new Promise((resolve) => setImmediate(() => void work(name, ms).then(resolve)));
  await Promise.all([inContext('a', 30), inContext('b', 10), inContext('c', 20), inContext('a', 5)]);
  done.fire(() => ['stray', 1]);
  const late = dtp.addProbe('late');
  let lateCalls = 0;
  late.fire(() => { lateCalls++; return []; });
  const end = await client.request({ op: 'stop' }, ['end']);
  assert.deepEqual(table(byName(end.aggregations, '@ok')), { a: 2, b: 1, c: 1 });
  assert.deepEqual(table(byName(end.aggregations, '@ms')), { '': 65 });
  assert.deepEqual(table(byName(end.aggregations, '@orphan')), { stray: 1 });
  assert.equal(calls, 8, 'each enabled fire ran its callback once');
  assert.equal(lateCalls, 0, 'a probe the program does not name stays off');
  await client.close();
  calls = 0;
  await work('after', 1);
  assert.equal(calls, 0, 'no callback after detach');
  assert.equal(start.enabled, false);
});

test('printf, printa, tick, BEGIN/END, lquantize, stddev, trunc and a failing action', async (t) => {
  const { client, records } = await session(t);
  const dtp = createProvider('agenttest2');
  const p = dtp.addProbe('v', 'int');
  const program = compileTrace('BEGIN { printf("hello %d\\n", 42) }\nagenttest2:v { @l = lquantize(arg0, 0, 10, 5); @sd = stddev(arg0); @k[arg0] = count(); @j[jstack(2)] = count() }\nagenttest2:v /arg0 == 7/ { printa(@k) }\nEND { trunc(@k, 2); printf("bye\\n") }');
  await client.request({ op: 'load', program }, ['loaded']);
  for (const v of [-1, 0, 3, 7, 7, 12, 3, 3]) p.fire(() => [v]);
  p.fire(() => { throw new Error('app callback fails'); });
  const end = await client.request({ op: 'stop' }, ['end']);
  await client.close();
  assert.deepEqual(records.filter((r) => r.op === 'printf').map((r) => [r.format, r.args]), [['hello %d\n', [42]], ['bye\n', []]]);
  assert.equal(records.filter((r) => r.op === 'printa').length, 2);
  assert.deepEqual((byName(end.aggregations, '@l').entries[0]!.value as { buckets: unknown }).buckets, [{ from: null, count: 1 }, { from: 0, count: 4 }, { from: 5, count: 2 }, { from: 10, count: 1 }]);
  const sd = byName(end.aggregations, '@sd').entries[0]!.value as number;
  const xs = [-1, 0, 3, 7, 7, 12, 3, 3];
  const mean = xs.reduce((a, b) => a + b) / xs.length;
  assert.ok(Math.abs(sd - Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)) < 1e-9);
  assert.deepEqual(table(byName(end.aggregations, '@k')), { '3': 3, '7': 2 });
  const stack = String(byName(end.aggregations, '@j').entries[0]!.key[0]);
  assert.match(stack.split('\n')[0]!, /agent\.test\.js/, 'jstack starts at the firing caller');
  assert.equal(stack.split('\n').length, 2);
  assert.equal(end.errors, 1, 'the failing callback is counted, not thrown');
});

test('tick clauses run on their interval until the program stops', async (t) => {
  const { client } = await session(t);
  await client.request({ op: 'load', program: compileTrace('tick:50ms { @t = count() }') }, ['loaded']);
  const started = Date.now();
  await new Promise((r) => setTimeout(r, 400));
  const end = await client.request({ op: 'stop' }, ['end']);
  const ticks = table(byName(end.aggregations, '@t'))[''] as number;
  const elapsed = Date.now() - started;
  assert.ok(ticks >= 3 && ticks <= Math.ceil(elapsed / 50), `${ticks} ticks in ${elapsed} ms`);
});

test('bounded memory: keys beyond maxKeys are dropped and counted', async (t) => {
  const { client } = await session(t);
  const p = createProvider('agenttest3').addProbe('k', 'int');
  const program = compileTrace('agenttest3:k { @[arg0] = count() }', '<t>', { limits: { maxKeys: 10 } });
  await client.request({ op: 'load', program }, ['loaded']);
  for (let i = 0; i < 25; i++) p.fire(() => [i]);
  const end = await client.request({ op: 'stop' }, ['end']);
  await client.close();
  assert.equal(byName(end.aggregations, '@').entries.length, 10);
  assert.equal(end.drops, 15);
});

test('client, net, fetch, loop and process probes fire with their arguments', async (t) => {
  const theirs = process.listeners('unhandledRejection');
  const { client } = await session(t);
  const program = compileTrace(`
http:client-request { @creq[method, host, path] = count() }
http:client-response { @cres[status] = count(); @clat = max(latency_ms) }
net:connect { @conn[remote_address] = count() }
net:server-connection { @accepted[remote_address] = count() }
fetch:request { @freq[method, path] = count() }
fetch:response { @fres[status] = count() }
loop:lag { @lag = count() }
loop:utilization /utilization >= 0 && utilization <= 1/ { @elu = count() }
process:uncaught-exception { @unc[name, message] = count() }
process:unhandled-rejection { @rej[name, message] = count() }`);
  const loaded = await client.request({ op: 'load', program }, ['loaded']);
  assert.equal((loaded.probes as string[]).length, 10);
  const started = Date.now();
  await withServer((q, s) => { s.statusCode = q.url === '/teapot' ? 418 : 200; s.end('x'); }, async (port) => {
    await get(port, 'GET', '/one');
    await get(port, 'DELETE', '/teapot');
    const res = await fetch(`http://127.0.0.1:${port}/fetched`);
    await res.text();
  });
  const emit = process.emit.bind(process) as (event: string, ...args: unknown[]) => boolean;
  emit('uncaughtExceptionMonitor', new TypeError('boom'), 'uncaughtException');
  // node:test's own listener would fail the test: set it aside for one emit, with a listener of
  // ours in its place (so the agent's observes and, the app having a handler, does not rethrow).
  for (const l of theirs) process.removeListener('unhandledRejection', l);
  const ours = (): void => undefined;
  process.on('unhandledRejection', ours);
  try {
    emit('unhandledRejection', new RangeError('nope'), Promise.resolve());
  } finally {
    process.removeListener('unhandledRejection', ours);
    for (const l of theirs) process.on('unhandledRejection', l);
  }
  // loop:utilization reports every second, loop:lag every 100 ms.
  await new Promise((r) => setTimeout(r, Math.max(0, 1300 - (Date.now() - started))));
  const end = await client.request({ op: 'stop' }, ['end']);
  const a = end.aggregations;
  assert.deepEqual(table(byName(a, '@creq')), { 'GET,127.0.0.1,/one': 1, 'DELETE,127.0.0.1,/teapot': 1 });
  assert.deepEqual(table(byName(a, '@cres')), { '200': 1, '418': 1 });
  assert.ok((byName(a, '@clat').entries[0]!.value as number) > 0);
  assert.equal(table(byName(a, '@conn'))['127.0.0.1'], 3, 'two http.request and one fetch connection');
  assert.equal(table(byName(a, '@accepted'))['127.0.0.1'], 3);
  assert.deepEqual(table(byName(a, '@freq')), { 'GET,/fetched': 1 });
  assert.deepEqual(table(byName(a, '@fres')), { '200': 1 });
  assert.ok((table(byName(a, '@lag'))[''] as number) >= 5);
  assert.ok((table(byName(a, '@elu'))[''] as number) >= 1);
  assert.deepEqual(table(byName(a, '@unc')), { 'TypeError,boom': 1 });
  assert.deepEqual(table(byName(a, '@rej')), { 'RangeError,nope': 1 });
  assert.equal(end.errors, 0);
  await client.close();
  assert.equal(process.listenerCount('uncaughtExceptionMonitor'), 0);
  for (const c of ['http.client.request.start', 'http.client.response.finish', 'net.client.socket', 'net.server.socket', 'undici:request:create', 'undici:request:headers']) assert.equal(dc.hasSubscribers(c), false, c);
});
