// The in-process trace agent. It is self-contained (nothing but Node built-ins, taken through the
// `require` it is given), so nodescope can inject this file's text through the inspector, and an
// app can preload it (`node -r nodescope/agent`). It listens on an owner-only UNIX socket, takes
// one compiled program (JSON data, interpreted here, never evaluated), enables only the probes the
// program names, aggregates in place with bounded memory (drops counted), and sends only
// aggregates and printf records. Every probe action runs in a try/catch, so a failing action never
// throws into the app. Detach removes every subscription, listener and timer it made; an injected
// agent then removes itself (socket, global) too, as it does when its client goes away.
import type * as NetNs from 'node:net';
import type { Probe, ProbeRegistry } from '../probes/probes.cjs';

/** Role: how the agent was started and where it listens. */
export interface AgentConfig {
  /** resident: preloaded, stays for later clients; injected: removes itself when its client leaves. */
  readonly mode: 'resident' | 'injected';
  /** Milliseconds an injected agent waits for its client before removing itself. */
  readonly connectMs?: number;
  /** Where to listen (its folder is made owner-only); default <tmpdir>/nodescope-<pid>/agent.sock. */
  readonly socket?: string;
}

/** Role: what an attach answers with. */
export interface AgentHandle {
  readonly socket: string;
  readonly mode: 'resident' | 'injected';
  /** Whether the agent was already running (resident, or an earlier attach still in progress). */
  readonly reused: boolean;
}

type Req = (id: string) => unknown;
type Expr = { kind: string; [k: string]: any };
type Stmt = { kind: string; [k: string]: any };
type ProbeRef = { type: 'builtin' | 'module' | 'begin' | 'end' | 'tick'; provider?: string; name?: string; ms?: number };
type Clause = { probes: ProbeRef[]; predicate?: Expr; body: Stmt[] };
type AggDecl = { name: string; fn: string; keyCount: number; lquantize?: { lo: number; hi: number; step: number } };
type Program = { version: 1; clauses: Clause[]; aggs: AggDecl[]; limits: { maxKeys: number; maxRecords: number; maxStack: number } };
/** One firing: its probe, arguments by name (and arg0…), and the function stack traces start above. */
type Firing = { provider: string; name: string; args: Record<string, unknown>; boundary: Function; names?: readonly string[] };

const AGENT_KEY = Symbol.for('nodescope.agent.v1');
const REGISTRY_KEY = Symbol.for('nodescope.probes.v1');
const MAX_LINE = 16 << 20;
const MAX_BUFFERED = 4 << 20;

/** Built-in probes and the names of their arguments, in arg0… order (src/trace/probe-catalog.ts). */
const BUILTIN_ARGS: Record<string, string[]> = {
  'gc:start': ['kind', 'flags'],
  'gc:done': ['kind', 'flags', 'duration_us'],
  'http:server-request': ['method', 'url', 'remote_address', 'remote_port'],
  'http:server-response': ['method', 'url', 'status', 'latency_ms', 'remote_address', 'remote_port'],
  'http:client-request': ['method', 'host', 'path'],
  'http:client-response': ['method', 'host', 'path', 'status', 'latency_ms'],
  'net:connect': ['remote_address', 'remote_port'],
  'net:server-connection': ['remote_address', 'remote_port'],
  'fetch:request': ['method', 'origin', 'path'],
  'fetch:response': ['method', 'origin', 'path', 'status', 'latency_ms'],
  'fetch:error': ['method', 'origin', 'path', 'message'],
  'loop:lag': ['lag_ms'],
  'loop:utilization': ['utilization'],
  'process:uncaught-exception': ['name', 'message'],
  'process:unhandled-rejection': ['name', 'message'],
};

/** Starts the agent in this process (or returns the one already running). */
export function attach(config: AgentConfig, req: Req = require as Req): AgentHandle {
  const g = globalThis as unknown as Record<symbol, { socket: string; mode: AgentConfig['mode'] } | undefined>;
  const running = g[AGENT_KEY];
  if (running !== undefined) return { socket: running.socket, mode: running.mode, reused: true };
  const agent = new Agent(config, req);
  Object.defineProperty(globalThis, AGENT_KEY, { value: agent, configurable: true, enumerable: false, writable: false });
  return { socket: agent.socket, mode: config.mode, reused: false };
}

/** Role: the socket path of the agent of process `pid` (a 0700 folder holding a 0600 socket). */
export function agentSocketPath(tmp: string, pid: number): string {
  return `${tmp}/nodescope-${pid}/agent.sock`;
}

class Agent {
  readonly socket: string;
  readonly mode: AgentConfig['mode'];
  private readonly req: Req;
  private readonly server: NetNs.Server;
  private client: NetNs.Socket | undefined;
  private run: Run | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private readonly dir: string;

  constructor(config: AgentConfig, req: Req) {
    this.req = req;
    this.mode = config.mode;
    const fs = req('node:fs') as typeof import('node:fs');
    const os = req('node:os') as typeof import('node:os');
    const net = req('node:net') as typeof import('node:net');
    this.socket = typeof config.socket === 'string' && config.socket.endsWith(`/nodescope-${process.pid}/agent.sock`) ? config.socket : agentSocketPath(os.tmpdir(), process.pid);
    this.dir = this.socket.slice(0, this.socket.lastIndexOf('/'));
    try {
      fs.mkdirSync(this.dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A folder left by an earlier process with our PID: ours only if we own it, nobody else can enter.
      const st = fs.lstatSync(this.dir);
      if (!st.isDirectory() || st.uid !== process.getuid!() || (st.mode & 0o077) !== 0) throw new Error(`${this.dir} exists and is not an owner-only folder of ours`);
      fs.rmSync(this.socket, { force: true });
    }
    this.server = net.createServer({ allowHalfOpen: false }, (s) => this.onClient(s));
    this.server.on('error', () => this.remove());
    this.server.listen(this.socket, () => {
      try {
        fs.chmodSync(this.socket, 0o600);
      } catch {
        // The folder alone keeps others out.
      }
    });
    this.server.unref();
    // The process is going away: the client gets the aggregations while the socket still takes
    // writes, and the socket file goes with the process.
    process.on('exit', this.onProcessExit);
    if (this.mode === 'injected') {
      this.connectTimer = setTimeout(() => { if (this.client === undefined) this.remove(); }, config.connectMs ?? 10_000);
      this.connectTimer.unref();
    }
  }

  private onClient(s: NetNs.Socket): void {
    if (this.client !== undefined) {
      s.end(JSON.stringify({ op: 'error', message: 'another nodescope is attached to this process' }) + '\n');
      return;
    }
    clearTimeout(this.connectTimer);
    this.client = s;
    s.unref();
    s.setEncoding('utf8');
    let buf = '';
    s.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > MAX_LINE) { s.destroy(); return; }
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.onRequest(line);
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      this.client = undefined;
      this.run?.unload();
      this.run = undefined;
      if (this.mode === 'injected') this.remove();
    });
    this.send({ op: 'hello', pid: process.pid, node: process.version, mode: this.mode });
  }

  /** Sends one message; a record (`bounded`) is refused while the client is MAX_BUFFERED behind. */
  send(msg: unknown, bounded = false): boolean {
    const s = this.client;
    if (s === undefined || s.destroyed) return false;
    if (bounded && s.writableLength > MAX_BUFFERED) return false;
    s.write(JSON.stringify(msg) + '\n');
    return true;
  }

  private onRequest(line: string): void {
    let r: { op?: string; program?: Program };
    try {
      r = JSON.parse(line);
    } catch {
      this.send({ op: 'error', message: 'bad request' });
      return;
    }
    try {
      switch (r.op) {
        case 'list':
          this.send({ op: 'list', probes: listProbes() });
          break;
        case 'load':
          if (this.run !== undefined) { this.send({ op: 'error', message: 'a program is already loaded' }); break; }
          this.run = new Run(r.program as Program, this, this.req);
          this.send({ op: 'loaded', ...this.run.start() });
          break;
        case 'stop':
          if (this.run !== undefined) {
            const end = this.run.finish();
            this.run = undefined;
            this.send({ op: 'end', ...end, reason: 'stopped' });
          } else {
            this.send({ op: 'end', aggregations: [], drops: 0, errors: 0, reason: 'stopped' });
          }
          break;
        case 'detach':
          this.run?.unload();
          this.run = undefined;
          this.client?.end();
          break;
        default:
          this.send({ op: 'error', message: `unknown request ${String(r.op)}` });
      }
    } catch (e) {
      this.run?.unload();
      this.run = undefined;
      this.send({ op: 'error', message: `agent: ${(e as Error)?.message ?? String(e)}` });
    }
  }

  /** The target is exiting: send what the aggregations hold, then remove the socket file and folder. */
  private readonly onProcessExit = (): void => {
    const run = this.run;
    this.run = undefined;
    if (run !== undefined) this.send({ op: 'end', ...run.finish(), reason: 'target-exited' });
    this.removeFiles();
  };

  private removeFiles(): void {
    const fs = this.req('node:fs') as typeof import('node:fs');
    try { fs.rmSync(this.socket, { force: true }); fs.rmdirSync(this.dir); } catch { /* already gone */ }
  }

  /** Removes the agent: program, server, socket file and folder, the global. */
  remove(): void {
    clearTimeout(this.connectTimer);
    this.run?.unload();
    this.run = undefined;
    this.client?.destroy();
    try { this.server.close(); } catch { /* not listening */ }
    process.removeListener('exit', this.onProcessExit);
    this.removeFiles();
    delete (globalThis as unknown as Record<symbol, unknown>)[AGENT_KEY];
  }
}

function registry(): ProbeRegistry | undefined {
  return (globalThis as unknown as Record<symbol, ProbeRegistry | undefined>)[REGISTRY_KEY];
}

type ListedProbe = { provider: string; name: string; args: string[]; fields?: string[]; types?: string[]; builtin: boolean };

/** Every probe offered: arguments arg0…argN, plus the named fields of built-in probes (same order). */
function listProbes(): ListedProbe[] {
  const out: ListedProbe[] = [];
  for (const [key, fields] of Object.entries(BUILTIN_ARGS)) {
    const [provider, name] = key.split(':') as [string, string];
    out.push({ provider, name, args: fields.map((_, i) => `arg${i}`), fields, builtin: true });
  }
  for (const p of registry()?.providers.values() ?? []) {
    for (const probe of p.probes.values()) out.push({ provider: p.name, name: probe.name, args: probe.types.map((_, i) => `arg${i}`), types: [...probe.types], builtin: false });
  }
  return out;
}

function globRe(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

function truthy(v: unknown): boolean {
  return !(v === 0 || v === '' || v === undefined || v === null || v === false || (typeof v === 'number' && Number.isNaN(v)));
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v);
  return Number.isNaN(n) ? 0 : n;
}

/** Role: one aggregation's state: entries by key, bounded by maxKeys. */
class Aggregation {
  readonly entries = new Map<string, { key: unknown[]; s: any }>();
  constructor(readonly decl: AggDecl) {}

  add(key: unknown[], v: number, run: Run): void {
    const k = key.length === 0 ? '' : key.length === 1 ? (typeof key[0] === 'number' ? `n${key[0]}` : `s${String(key[0])}`) : JSON.stringify(key);
    let e = this.entries.get(k);
    if (e === undefined) {
      if (this.entries.size >= run.program.limits.maxKeys) { run.drops++; return; }
      e = { key, s: this.initial() };
      this.entries.set(k, e);
    }
    const s = e.s;
    switch (this.decl.fn) {
      case 'count': e.s++; break;
      case 'sum': e.s += v; break;
      case 'min': if (v < s.v || s.n === 0) s.v = v; s.n++; break;
      case 'max': if (v > s.v || s.n === 0) s.v = v; s.n++; break;
      case 'avg': s.n++; s.sum += v; break;
      case 'stddev': s.n++; s.sum += v; s.sum2 += v * v; break;
      case 'quantize': s.count++; s.sum += v; bump(s.buckets, quantizeBucket(v)); break;
      case 'lquantize': s.count++; s.sum += v; bump(s.buckets, lquantizeBucket(v, this.decl.lquantize!)); break;
    }
  }

  private initial(): any {
    switch (this.decl.fn) {
      case 'count': case 'sum': return 0;
      case 'min': case 'max': return { v: 0, n: 0 };
      case 'avg': return { n: 0, sum: 0 };
      case 'stddev': return { n: 0, sum: 0, sum2: 0 };
      default: return { count: 0, sum: 0, buckets: new Map<number | null, number>() };
    }
  }

  snapshot(): { name: string; kind: string; entries: Array<{ key: unknown[]; value: unknown }> } {
    const entries: Array<{ key: unknown[]; value: unknown }> = [];
    for (const e of this.entries.values()) entries.push({ key: e.key, value: this.value(e.s) });
    return { name: `@${this.decl.name}`, kind: this.decl.fn, entries };
  }

  private value(s: any): unknown {
    switch (this.decl.fn) {
      case 'count': case 'sum': return s;
      case 'min': case 'max': return s.v;
      case 'avg': return s.n === 0 ? 0 : s.sum / s.n;
      case 'stddev': { const m = s.sum / s.n; return Math.sqrt(Math.max(0, s.sum2 / s.n - m * m)); }
      default: {
        const buckets = [...(s.buckets as Map<number | null, number>).entries()].map(([from, count]) => ({ from, count }));
        buckets.sort((a, b) => (a.from === null ? -Infinity : a.from) - (b.from === null ? -Infinity : b.from));
        return { count: s.count, sum: s.sum, buckets };
      }
    }
  }

  /** Keeps the `keep` entries with the largest values (by count for distributions). */
  trunc(keep: number): void {
    const rank = (s: any): number => (typeof s === 'number' ? s : 'count' in s ? s.count : 'v' in s ? s.v : s.n === 0 ? 0 : s.sum / s.n);
    const sorted = [...this.entries.entries()].sort((a, b) => rank(b[1].s) - rank(a[1].s));
    this.entries.clear();
    for (const [k, e] of sorted.slice(0, keep)) this.entries.set(k, e);
  }
}

function bump(m: Map<number | null, number>, b: number | null): void {
  m.set(b, (m.get(b) ?? 0) + 1);
}

/** DTrace's power-of-two bucket of `v`: 0, ±1, ±2, ±4, … (the bucket's lower bound in magnitude). */
function quantizeBucket(v: number): number {
  const a = Math.abs(Math.trunc(v));
  if (a === 0) return 0;
  const p = 2 ** Math.floor(Math.log2(a));
  const b = a >= p * 2 ? p * 2 : p;
  return v < 0 ? -b : b;
}

/** lquantize's bucket: null below lo, else lo + k·step, the last one holding everything ≥ hi. */
function lquantizeBucket(v: number, q: { lo: number; hi: number; step: number }): number | null {
  if (v < q.lo) return null;
  if (v >= q.hi) return q.hi;
  return q.lo + Math.floor((v - q.lo) / q.step) * q.step;
}

/** Role: one loaded program: its probes, aggregations and self. storage; undone by unload(). */
class Run {
  readonly aggs: Aggregation[];
  drops = 0;
  errors = 0;
  private readonly undo: Array<() => void> = [];
  private readonly modulePatterns: Array<{ provider: RegExp; name: RegExp; clauses: Clause[] }> = [];
  private readonly enabledModule = new Set<Probe>();
  private readonly als: { getStore(): Map<string, unknown> | undefined; enterWith(m: Map<string, unknown>): void; disable(): void };
  private stopped = false;
  private records = 0;

  constructor(readonly program: Program, private readonly agent: Agent, private readonly req: Req) {
    if (program?.version !== 1 || !Array.isArray(program.clauses) || !Array.isArray(program.aggs)) throw new Error('not a compiled program of version 1');
    this.aggs = program.aggs.map((d) => new Aggregation(d));
    const { AsyncLocalStorage } = req('node:async_hooks') as typeof import('node:async_hooks');
    this.als = new AsyncLocalStorage<Map<string, unknown>>();
  }

  /** Enables every probe the program names; answers how many are live and which. */
  start(): { probes: string[]; pending: string[] } {
    const byBuiltin = new Map<string, Clause[]>();
    const begin: Clause[] = [];
    for (const c of this.program.clauses) {
      for (const p of c.probes) {
        if (p.type === 'builtin') {
          const key = `${p.provider}:${p.name}`;
          const list = byBuiltin.get(key) ?? [];
          if (!list.includes(c)) list.push(c);
          byBuiltin.set(key, list);
        } else if (p.type === 'module') {
          this.modulePatterns.push({ provider: globRe(p.provider!), name: globRe(p.name!), clauses: [c] });
        } else if (p.type === 'begin') {
          begin.push(c);
        } else if (p.type === 'tick') {
          const t = setInterval(() => this.fire(c, { provider: 'tick', name: `${p.ms}ms`, args: {}, boundary: this.fire }), Math.max(10, p.ms!));
          t.unref();
          this.undo.push(() => clearInterval(t));
        }
      }
    }
    const live: string[] = [];
    for (const [key, clauses] of byBuiltin) {
      this.enableBuiltin(key, clauses);
      live.push(key);
    }
    const reg = registry();
    for (const prov of reg?.providers.values() ?? []) for (const probe of prov.probes.values()) if (this.maybeEnable(probe)) live.push(`${probe.provider}:${probe.name}`);
    const existing = [...(reg?.providers.values() ?? [])].flatMap((prov) => [...prov.probes.values()]);
    const pending = [...new Set(this.program.clauses.flatMap((c) => c.probes.filter((p) => p.type === 'module').map((p) => `${p.provider}:${p.name}`)))].filter((d) => {
      const [prov, name] = d.split(':') as [string, string];
      const pr = globRe(prov), nr = globRe(name);
      return !existing.some((e) => pr.test(e.provider) && nr.test(e.name));
    });
    if (this.modulePatterns.length > 0) {
      const r = reg ?? this.makeRegistry();
      const prev = r.onAdd;
      r.onAdd = (probe) => { this.maybeEnable(probe); };
      this.undo.push(() => { if (r.onAdd !== undefined) r.onAdd = prev; });
    }
    for (const c of begin) this.fire(c, { provider: 'BEGIN', name: '', args: {}, boundary: this.fire });
    return { probes: live, pending };
  }

  private makeRegistry(): ProbeRegistry {
    const r: ProbeRegistry = { version: 1, providers: new Map(), onAdd: undefined };
    Object.defineProperty(globalThis, REGISTRY_KEY, { value: r, enumerable: false, configurable: true, writable: false });
    return r;
  }

  private maybeEnable(probe: Probe): boolean {
    if (this.stopped || this.enabledModule.has(probe)) return false;
    const clauses = [...new Set(this.modulePatterns.filter((m) => m.provider.test(probe.provider) && m.name.test(probe.name)).flatMap((m) => m.clauses))];
    if (clauses.length === 0) return false;
    const run = this;
    const handler = function nodescopeProbe(p: Probe, cb: (probe: Probe) => readonly unknown[]): void {
      let values: unknown;
      try {
        values = cb(p);
      } catch {
        run.errors++;
        return;
      }
      const args: Record<string, unknown> = {};
      if (Array.isArray(values)) values.forEach((v, i) => { args[`arg${i}`] = v; });
      for (const c of clauses) run.fire(c, { provider: p.provider, name: p.name, args, boundary: p.fire });
    };
    probe._nodescopeEnable(handler);
    this.enabledModule.add(probe);
    this.undo.push(() => probe._nodescopeDisable());
    return true;
  }

  /** Subscribes `fn` to a channel; it gets the subscriber itself as the boundary jstack() starts below. */
  private subscribe(channel: string, fn: (msg: any, boundary: Function) => void): void {
    const dc = this.req('node:diagnostics_channel') as typeof import('node:diagnostics_channel');
    const run = this;
    const wrapped = function nodescopeSubscriber(msg: unknown): void {
      try {
        fn(msg, wrapped);
      } catch {
        run.errors++;
      }
    };
    dc.subscribe(channel, wrapped);
    this.undo.push(() => dc.unsubscribe(channel, wrapped));
  }

  private emitter(key: string, clauses: Clause[]): (args: Record<string, unknown>, boundary: Function) => void {
    const [provider, name] = key.split(':') as [string, string];
    const names = BUILTIN_ARGS[key] ?? [];
    return (args, boundary) => {
      const f: Firing = { provider, name, args, names, boundary };
      for (const c of clauses) this.fire(c, f);
    };
  }

  private enableBuiltin(key: string, clauses: Clause[]): void {
    const emit = this.emitter(key, clauses);
    const now = (): number => Number(process.hrtime.bigint());
    const starts = this.startTimes();
    switch (key) {
      case 'http:server-request':
        this.subscribe('http.server.request.start', (m, boundary) => {
          emit({ method: m.request?.method ?? '', url: m.request?.url ?? '', remote_address: m.socket?.remoteAddress ?? '', remote_port: m.socket?.remotePort ?? 0 }, boundary);
        });
        break;
      case 'http:server-response':
        this.subscribe('http.server.request.start', (m) => { if (m.request) starts.set(m.request, now()); });
        this.subscribe('http.server.response.finish', (m, boundary) => {
          const t0 = m.request ? starts.get(m.request) : undefined;
          emit({ method: m.request?.method ?? '', url: m.request?.url ?? '', status: m.response?.statusCode ?? 0, latency_ms: t0 === undefined ? 0 : (now() - t0) / 1e6, remote_address: m.socket?.remoteAddress ?? '', remote_port: m.socket?.remotePort ?? 0 }, boundary);
        });
        break;
      case 'http:client-request':
        this.subscribe('http.client.request.start', (m, boundary) => {
          emit({ method: m.request?.method ?? '', host: m.request?.host ?? '', path: m.request?.path ?? '' }, boundary);
        });
        break;
      case 'http:client-response':
        this.subscribe('http.client.request.start', (m) => { if (m.request) starts.set(m.request, now()); });
        this.subscribe('http.client.response.finish', (m, boundary) => {
          const t0 = m.request ? starts.get(m.request) : undefined;
          emit({ method: m.request?.method ?? '', host: m.request?.host ?? '', path: m.request?.path ?? '', status: m.response?.statusCode ?? 0, latency_ms: t0 === undefined ? 0 : (now() - t0) / 1e6 }, boundary);
        });
        break;
      case 'net:connect': {
        const pending = new Set<{ socket: NetNs.Socket; fn: () => void }>();
        this.subscribe('net.client.socket', (m) => {
          const socket = m.socket as NetNs.Socket;
          if (!socket || pending.size >= this.program.limits.maxKeys) { this.drops++; return; }
          const entry = { socket, fn: function onConnect(): void { pending.delete(entry); socket.removeListener('close', entry.fn); try { emit({ remote_address: socket.remoteAddress ?? '', remote_port: socket.remotePort ?? 0 }, onConnect); } catch { /* counted by fire */ } } };
          socket.once('connect', entry.fn);
          socket.once('close', () => { pending.delete(entry); socket.removeListener('connect', entry.fn); });
          pending.add(entry);
        });
        this.undo.push(() => { for (const e of pending) e.socket.removeListener('connect', e.fn); pending.clear(); });
        break;
      }
      case 'net:server-connection':
        this.subscribe('net.server.socket', (m, boundary) => {
          emit({ remote_address: m.socket?.remoteAddress ?? '', remote_port: m.socket?.remotePort ?? 0 }, boundary);
        });
        break;
      case 'fetch:request':
        this.subscribe('undici:request:create', (m, boundary) => {
          emit({ method: m.request?.method ?? '', origin: String(m.request?.origin ?? ''), path: m.request?.path ?? '' }, boundary);
        });
        break;
      case 'fetch:response':
        this.subscribe('undici:request:create', (m) => { if (m.request) starts.set(m.request, now()); });
        this.subscribe('undici:request:headers', (m, boundary) => {
          const t0 = m.request ? starts.get(m.request) : undefined;
          emit({ method: m.request?.method ?? '', origin: String(m.request?.origin ?? ''), path: m.request?.path ?? '', status: m.response?.statusCode ?? 0, latency_ms: t0 === undefined ? 0 : (now() - t0) / 1e6 }, boundary);
        });
        break;
      case 'fetch:error':
        this.subscribe('undici:request:error', (m, boundary) => {
          emit({ method: m.request?.method ?? '', origin: String(m.request?.origin ?? ''), path: m.request?.path ?? '', message: String(m.error?.message ?? m.error) }, boundary);
        });
        break;
      case 'gc:start':
      case 'gc:done': {
        const { PerformanceObserver, constants } = this.req('node:perf_hooks') as typeof import('node:perf_hooks');
        const kinds: Record<number, string> = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
        const done = key === 'gc:done';
        const obs = new PerformanceObserver(function onGc(list) {
          for (const e of list.getEntries()) {
            const d = (e as unknown as { detail?: { kind?: number; flags?: number } }).detail ?? (e as unknown as { kind?: number; flags?: number });
            const args: Record<string, unknown> = { kind: kinds[d.kind ?? -1] ?? String(d.kind), flags: d.flags ?? 0 };
            if (done) args.duration_us = e.duration * 1000;
            try { emit(args, onGc); } catch { /* counted by fire */ }
          }
        });
        obs.observe({ entryTypes: ['gc'] });
        this.undo.push(() => obs.disconnect());
        break;
      }
      case 'loop:lag': {
        let expected = Date.now() + 100;
        const t = setInterval(function onLag() {
          const n = Date.now();
          emit({ lag_ms: Math.max(0, n - expected) }, onLag);
          expected = n + 100;
        }, 100);
        t.unref();
        this.undo.push(() => clearInterval(t));
        break;
      }
      case 'loop:utilization': {
        const { performance } = this.req('node:perf_hooks') as typeof import('node:perf_hooks');
        let last = performance.eventLoopUtilization();
        const t = setInterval(function onElu() {
          const cur = performance.eventLoopUtilization();
          emit({ utilization: performance.eventLoopUtilization(cur, last).utilization }, onElu);
          last = cur;
        }, 1000);
        t.unref();
        this.undo.push(() => clearInterval(t));
        break;
      }
      case 'process:uncaught-exception': {
        const fn = function onUncaught(err: unknown): void {
          try { emit(errorArgs(err), onUncaught); } catch { /* counted by fire */ }
        };
        process.on('uncaughtExceptionMonitor', fn);
        this.undo.push(() => process.removeListener('uncaughtExceptionMonitor', fn));
        break;
      }
      case 'process:unhandled-rejection': {
        const fn = function onRejection(reason: unknown): void {
          try { emit(errorArgs(reason), onRejection); } catch { /* counted by fire */ }
          // With no listener of its own the app would crash on this rejection (Node's default
          // --unhandled-rejections=throw); our listener must not swallow it.
          if (process.listenerCount('unhandledRejection') === 1 && !/--unhandled-rejections=(warn|none|warn-with-error-code)/.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '))) throw reason;
        };
        process.on('unhandledRejection', fn);
        this.undo.push(() => process.removeListener('unhandledRejection', fn));
        break;
      }
      default:
        throw new Error(`unknown built-in probe ${key}`);
    }
  }

  private starts: WeakMap<object, number> | undefined;
  private startTimes(): WeakMap<object, number> {
    this.starts ??= new WeakMap();
    return this.starts;
  }

  /** Runs one clause for one firing; never throws. */
  fire(c: Clause, f: Firing): void {
    if (this.stopped) return;
    try {
      if (c.predicate !== undefined && !truthy(this.eval(c.predicate, f))) return;
      for (const s of c.body) this.exec(s, f);
    } catch {
      this.errors++;
    }
  }

  private exec(s: Stmt, f: Firing): void {
    switch (s.kind) {
      case 'agg': {
        const agg = this.aggs[s.agg as number];
        if (agg === undefined) return;
        const key = (s.keys as Expr[]).map((k) => keyValue(this.eval(k, f)));
        const v = s.args.length > 0 ? num(this.eval(s.args[0], f)) : 1;
        if (!Number.isFinite(v)) { this.errors++; return; }
        agg.add(key, v, this);
        break;
      }
      case 'assign': {
        const v = this.eval(s.value, f);
        const cur = this.als.getStore();
        // Copy on write: a context's view never changes under contexts that inherited it.
        const next = new Map(cur ?? []);
        next.set(s.name as string, v);
        this.als.enterWith(next);
        break;
      }
      case 'printf':
        this.record({ op: 'printf', format: s.format, args: (s.args as Expr[]).map((a) => keyValue(this.eval(a, f))) });
        break;
      case 'printa':
        this.record({ op: 'printa', aggregations: ((s.aggs as number[]).length === 0 ? this.aggs : (s.aggs as number[]).map((i) => this.aggs[i]!)).map((a) => a.snapshot()) });
        break;
      case 'clear':
        this.aggs[s.agg as number]?.entries.clear();
        break;
      case 'trunc':
        this.aggs[s.agg as number]?.trunc(s.keep as number);
        break;
      case 'exit':
        this.record({ op: 'exit' });
        break;
    }
  }

  private record(msg: unknown): void {
    if (this.records >= this.program.limits.maxRecords || !this.agent.send(msg, true)) this.drops++;
    else this.records++;
    // Records are counted per second: a slow reader drops, the app never waits.
    if (this.records === 1) setTimeout(() => { this.records = 0; }, 1000).unref();
  }

  private eval(e: Expr, f: Firing): unknown {
    switch (e.kind) {
      case 'num': case 'str': return e.value;
      case 'arg': {
        const v = f.args[e.name as string];
        if (v !== undefined) return v;
        // argN of a built-in probe: its N-th named argument (the position is cached on the node).
        if (f.names === undefined) return 0;
        if (e.index === undefined) e.index = /^arg(\d+)$/.exec(e.name as string)?.[1] ?? -1;
        const n = f.names[Number(e.index)];
        return n === undefined ? 0 : (f.args[n] ?? 0);
      }
      case 'builtin':
        switch (e.name) {
          case 'timestamp': return Number(process.hrtime.bigint());
          case 'walltimestamp': return Date.now() * 1e6;
          case 'pid': return process.pid;
          case 'probeprov': return f.provider;
          case 'probename': return f.name;
          default: return 0;
        }
      case 'self': return this.als.getStore()?.get(e.name as string) ?? 0;
      case 'unary': {
        const v = this.eval(e.operand, f);
        return e.op === '!' ? (truthy(v) ? 0 : 1) : -num(v);
      }
      case 'cond': return truthy(this.eval(e.test, f)) ? this.eval(e.then, f) : this.eval(e.else, f);
      case 'binary': {
        if (e.op === '&&') return truthy(this.eval(e.left, f)) && truthy(this.eval(e.right, f)) ? 1 : 0;
        if (e.op === '||') return truthy(this.eval(e.left, f)) || truthy(this.eval(e.right, f)) ? 1 : 0;
        const l = this.eval(e.left, f);
        const r = this.eval(e.right, f);
        switch (e.op) {
          case '==': return same(l, r) ? 1 : 0;
          case '!=': return same(l, r) ? 0 : 1;
          case '<': return compare(l, r) < 0 ? 1 : 0;
          case '<=': return compare(l, r) <= 0 ? 1 : 0;
          case '>': return compare(l, r) > 0 ? 1 : 0;
          case '>=': return compare(l, r) >= 0 ? 1 : 0;
          case '+': return num(l) + num(r);
          case '-': return num(l) - num(r);
          case '*': return num(l) * num(r);
          case '/': return num(l) / num(r);
          case '%': return num(l) % num(r);
          default: return 0;
        }
      }
      case 'call':
        if (e.fn === 'strlen') return String(this.eval(e.args[0], f) ?? '').length;
        if (e.fn === 'jstack') return this.jstack(e.args.length > 0 ? num(this.eval(e.args[0], f)) : this.program.limits.maxStack, f);
        return 0;
      default:
        return 0;
    }
  }

  private jstack(n: number, f: Firing): string {
    const holder: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Math.max(1, Math.min(200, n));
    try {
      Error.captureStackTrace(holder, f.boundary);
    } finally {
      Error.stackTraceLimit = limit;
    }
    return (holder.stack ?? '').split('\n').slice(1).map((l) => l.trim().replace(/^at /, '')).join('\n');
  }

  /** Runs END clauses, stops every probe and returns the final aggregations. */
  finish(): { aggregations: ReturnType<Aggregation['snapshot']>[]; drops: number; errors: number } {
    for (const c of this.program.clauses) if (c.probes.some((p) => p.type === 'end')) this.fire(c, { provider: 'END', name: '', args: {}, boundary: this.finish });
    this.unload();
    return { aggregations: this.aggs.map((a) => a.snapshot()), drops: this.drops, errors: this.errors };
  }

  /** Removes every subscription, listener and timer this program made. */
  unload(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const u of this.undo.splice(0).reverse()) {
      try { u(); } catch { /* keep undoing */ }
    }
    this.enabledModule.clear();
    this.als.disable();
  }
}

function errorArgs(e: unknown): Record<string, unknown> {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: typeof e, message: String(e) };
}

/** Longest string kept in a key or printf argument: aggregation memory stays bounded per key. */
const MAX_STRING = 4096;

function keyValue(v: unknown): unknown {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.length > MAX_STRING ? v.slice(0, MAX_STRING) : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined || v === null) return '';
  try {
    return (typeof v === 'object' ? JSON.stringify(v) ?? String(v) : String(v)).slice(0, MAX_STRING);
  } catch {
    return String(v).slice(0, MAX_STRING);
  }
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === typeof b) return a === b;
  return String(a) === String(b);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return num(a) - num(b);
}
