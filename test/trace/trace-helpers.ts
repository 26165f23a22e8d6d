// Helpers of the live trace tests: start the HTTP service fixture with a Node binary (module
// probes on), send it requests, read its /state, and run `nodescope trace` with a hook that fires
// once the probes are live.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from '../harness/repo-paths.js';
import { startReadyChild } from '../harness/ready-child.js';

/** Role: a started service fixture. */
export interface Service {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

/** Role: starts test/trace/fixtures/service.cjs with `node`, resolving at its ready line. */
export async function startService(node: string, env: Record<string, string> = {}, args: string[] = ['--inspect-port=0']): Promise<Service> {
  const r = await startReadyChild(node, [...args, join(repoRoot(), 'test', 'trace', 'fixtures', 'service.cjs')], {
    ready: /^ready (\d+) (\d+)$/m,
    env: { ...process.env, PROBES: '1', ...env },
    cwd: repoRoot(),
    stdin: 'pipe',
    what: 'service',
  });
  return { child: r.child, pid: Number(r.ready[1]), port: Number(r.ready[2]), stop: r.stop };
}

/** Sends one request (no keep-alive) and resolves with the status and body. */
export function hit(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, method, path, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on('timeout', () => r.destroy(new Error('request timeout')));
    r.on('error', reject);
    r.end();
  });
}

/** Role: what an agent could leave behind, as the service reports it. */
export interface ServiceState {
  readonly subscribed: string[];
  readonly listeners: number[];
  readonly agent: boolean;
  readonly enabled: number;
  readonly handles: string[];
}

/** The service's /state, with sockets of in-flight connections left out. */
export async function stateOf(port: number): Promise<ServiceState> {
  const s = JSON.parse((await hit(port, 'GET', '/state')).body) as ServiceState;
  return { ...s, handles: s.handles.filter((h) => h !== 'TCPSocketWrap') };
}

/** Role: one CLI run's result. */
export interface TraceRun { code: number | null; stdout: string; stderr: string }

/**
 * Runs the CLI with `args`; once stderr says the probes are live, runs `whenLive` (the traffic).
 * A hard timeout kills it. `child` is handed out for tests that kill nodescope.
 */
export function runTraceCli(args: readonly string[], opts: { whenLive?: () => Promise<void>; env?: Record<string, string>; timeoutMs?: number; onSpawn?: (c: ChildProcess) => void; onStderr?: (all: string) => void } = {}): Promise<TraceRun & { liveError?: unknown }> {
  const cli = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let started = false;
    let liveError: unknown;
    let traffic: Promise<void> = Promise.resolve();
    child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      opts.onStderr?.(stderr);
      if (!started && /^tracing \d+ probes? in process/m.test(stderr) && opts.whenLive) {
        started = true;
        traffic = opts.whenLive().catch((e: unknown) => { liveError = e; });
      }
    });
    const timer = setTimeout(() => { stderr += '\n[killed by the test timeout]'; child.kill('SIGKILL'); }, opts.timeoutMs ?? 60_000);
    child.once('close', (code) => { clearTimeout(timer); void traffic.then(() => resolve({ code, stdout, stderr, ...(liveError !== undefined ? { liveError } : {}) })); });
  });
}

/** The final --json object: the last line of stdout. */
export function finalJson(stdout: string): { aggregations: Array<{ name: string; kind: string; entries: Array<{ key: unknown[]; value: any }> }>; probes: string[]; drops: number; [k: string]: unknown } {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

/** An aggregation's entries as { 'k1,k2': value }. */
export function entriesOf(j: ReturnType<typeof finalJson>, name: string): Record<string, any> {
  const a = j.aggregations.find((x) => x.name === name);
  if (a === undefined) throw new Error(`no aggregation ${name} in ${JSON.stringify(j.aggregations.map((x) => x.name))}`);
  return Object.fromEntries(a.entries.map((e) => [e.key.join(','), e.value]));
}
