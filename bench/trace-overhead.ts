// Overhead of `nodescope trace` on an HTTP service under load from a loopback load generator (this
// process, keep-alive, CONCURRENCY requests in flight): requests per second untraced, with the
// agent attached and idle (a program that enables no probe), and with an aggregation on every
// request (built-in and module probe), phases interleaved over ROUNDS, medians. The traced
// counts are checked against the requests made. bench/run.ts calls benchTraceOverhead().
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { nodeBinary, testedMajors } from '../test/harness/node-binaries.js';

const FIXTURE = fileURLToPath(new URL('../../bench/fixtures/trace-http.cjs', import.meta.url));
const DIST = fileURLToPath(new URL('../', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const SECONDS = 4;
const ROUNDS = 3;
const CONCURRENCY = 16;

const PHASES: ReadonlyArray<{ name: string; program?: string }> = [
  { name: 'untraced' },
  { name: 'agent attached, idle', program: 'END { printf("") }' },
  { name: 'count() per request, built-in probe', program: 'http:server-request { @[url] = count() }' },
  { name: 'count() per request, module probe', program: 'bench:handled { @[arg0] = count() }' },
];

async function load(port: number, seconds: number): Promise<{ count: number; rps: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const end = Date.now() + seconds * 1000;
  let count = 0;
  const one = (): Promise<void> => new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, path: '/x', agent }, (res) => { res.resume(); res.on('end', () => { count++; resolve(); }); });
    r.on('error', reject);
    r.end();
  });
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (Date.now() < end) await one(); }));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return { count, rps: count / s };
}

async function traced(pid: number, port: number, program: string): Promise<{ rps: number; checked: string }> {
  const child = spawn(process.execPath, [CLI, 'trace', '-p', String(pid), program, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  const live = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); if (/^tracing /m.test(err)) resolve(); });
    child.once('exit', () => reject(new Error(`trace ended early: ${err}`)));
  });
  await live;
  const r = await load(port, SECONDS);
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGINT');
  await closed;
  const final = JSON.parse(out.trim().split('\n').pop()!) as { aggregations: Array<{ entries: Array<{ value: number }> }>; drops: number };
  const counted = final.aggregations.reduce((n, a) => n + a.entries.reduce((m, e) => m + e.value, 0), 0);
  // Requests after the last response we saw cannot be counted by us; the trace may see a few more in flight.
  if (final.aggregations.length > 0 && (counted < r.count || counted > r.count + CONCURRENCY)) throw new Error(`traced ${counted} of ${r.count} requests`);
  return { rps: r.rps, checked: final.aggregations.length > 0 ? `${counted}/${r.count}` : '' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs the benchmark on the newest tested major; answers its BENCHMARKS.md section. */
export async function benchTraceOverhead(): Promise<string> {
  const bin = await nodeBinary(testedMajors().slice(-1)[0]!);
  const svc = spawn(bin.path, ['--inspect-port=0', FIXTURE], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODESCOPE_DIST: DIST } });
  const ready = await new Promise<{ pid: number; port: number }>((resolve) => {
    let out = '';
    svc.stdout!.on('data', (c: Buffer) => { out += c.toString(); const m = /^ready (\d+) (\d+)$/m.exec(out); if (m) resolve({ pid: Number(m[1]), port: Number(m[2]) }); });
  });
  try {
    await load(ready.port, 2);
    const rps = new Map<string, number[]>(PHASES.map((p) => [p.name, []]));
    const checks: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of PHASES) {
        const r = p.program === undefined ? await load(ready.port, SECONDS) : await traced(ready.pid, ready.port, p.program);
        rps.get(p.name)!.push(r.rps);
        if ('checked' in r && r.checked !== '') checks.push(r.checked);
      }
    }
    const base = median(rps.get('untraced')!);
    const rows = PHASES.map((p) => {
      const m = median(rps.get(p.name)!);
      return `| ${p.name} | ${p.program === undefined ? '' : `\`${p.program}\``} | ${m.toFixed(0)} | ${(m / base).toFixed(3)} | ${((1 - m / base) * 100).toFixed(1)}% |`;
    });
    return [
      '## Trace overhead on an HTTP service',
      '',
      `Node ${bin.version}; bench/fixtures/trace-http.cjs (answers at once, one module probe per request) under`,
      `loopback load from the bench process (keep-alive, ${CONCURRENCY} requests in flight), ${SECONDS} s per phase, phases`,
      `interleaved over ${ROUNDS} rounds, medians; load generator and service share the machine. Traced counts`,
      `matched the requests made (${checks.join(', ')}). Goals: idle ≤ 1% loss, count per request ≤ 5%.`,
      'Reproduce: `npm run bench -- trace`.',
      '',
      '| phase | program | requests/s | ratio to untraced | throughput loss |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
  } finally {
    svc.stdin!.end();
    svc.kill('SIGKILL');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(await benchTraceOverhead());
