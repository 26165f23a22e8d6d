// Overhead of `nodescope trace` on an HTTP service under load from a loopback load generator (this
// process, keep-alive, CONCURRENCY requests in flight): requests per second untraced, with the
// agent attached and idle (a program that enables no probe), and with an aggregation on every
// request (built-in and module probe), phases interleaved and rotated over ROUNDS, medians. The traced
// counts are checked against the requests made. bench/run.ts calls benchTraceOverhead().
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { nodeBinary, testedMajors } from '../test/harness/node-binaries.js';

const FIXTURE = fileURLToPath(new URL('../../bench/fixtures/trace-http.cjs', import.meta.url));
const DIST = fileURLToPath(new URL('../', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const SECONDS = 3;
const ROUNDS = 6;
const WARMUP_SECONDS = 8;
const CONCURRENCY = 16;

const PHASES: ReadonlyArray<{ name: string; program?: string }> = [
  { name: 'untraced' },
  { name: 'agent attached, idle', program: 'END { printf("") }' },
  { name: 'count() per request, built-in probe', program: 'http:server-request { @[url] = count() }' },
  { name: 'count() per request, module probe', program: 'bench:handled { @[arg0] = count() }' },
];

/** CPU time the service process has used (all threads, user + system), in µs (/proc/PID/stat fields 14, 15). */
function cpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / 100;
}

let servicePid = 0;

async function load(port: number, seconds: number): Promise<{ count: number; rps: number; cpuPerRequest: number }> {
  const c0 = cpuUs(servicePid);
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
  return { count, rps: count / s, cpuPerRequest: (cpuUs(servicePid) - c0) / count };
}

async function traced(pid: number, port: number, program: string): Promise<{ rps: number; cpuPerRequest: number; checked: string }> {
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
  return { rps: r.rps, cpuPerRequest: r.cpuPerRequest, checked: final.aggregations.length > 0 ? `${counted}/${r.count}` : '' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs the benchmark on the newest tested major; answers its BENCHMARKS.md section. */
export async function benchTraceOverhead(): Promise<string> {
  const bin = await nodeBinary(testedMajors().slice(-1)[0]!);
  const svc = spawn(bin.path, ['--inspect-port=0', FIXTURE], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, NODESCOPE_DIST: DIST } });
  const ready = await new Promise<{ pid: number; port: number }>((resolve) => {
    let out = '';
    svc.stdout!.on('data', (c: Buffer) => { out += c.toString(); const m = /^ready (\d+) (\d+)$/m.exec(out); if (m) resolve({ pid: Number(m[1]), port: Number(m[2]) }); });
  });
  servicePid = ready.pid;
  try {
    await load(ready.port, WARMUP_SECONDS);
    const rps = new Map<string, number[]>(PHASES.map((p) => [p.name, []]));
    const cpu = new Map<string, number[]>(PHASES.map((p) => [p.name, []]));
    const checks: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts one phase later, so that no phase always runs first (or last) in a round.
      for (const p of PHASES.map((_, i) => PHASES[(i + round) % PHASES.length]!)) {
        const r = p.program === undefined ? await load(ready.port, SECONDS) : await traced(ready.pid, ready.port, p.program);
        rps.get(p.name)!.push(r.rps);
        cpu.get(p.name)!.push(r.cpuPerRequest);
        if ('checked' in r && r.checked !== '') checks.push(r.checked);
      }
    }
    const base = median(rps.get('untraced')!);
    const baseCpu = median(cpu.get('untraced')!);
    const rows = PHASES.map((p) => {
      const m = median(rps.get(p.name)!);
      const c = median(cpu.get(p.name)!);
      return `| ${p.name} | ${p.program === undefined ? '' : `\`${p.program}\``} | ${m.toFixed(0)} | ${(m / base).toFixed(3)} | ${((1 - m / base) * 100).toFixed(1)}% | ${c.toFixed(1)} | ${(c / baseCpu).toFixed(3)} |`;
    });
    return [
      '## Trace overhead on an HTTP service',
      '',
      `Node ${bin.version}; bench/fixtures/trace-http.cjs (answers at once, one module probe per request) under`,
      `loopback load from the bench process (keep-alive, ${CONCURRENCY} requests in flight), ${WARMUP_SECONDS} s warm-up, ${SECONDS} s per`,
      `phase, phases interleaved (rotated) over ${ROUNDS} rounds, medians; load generator and service share the machine. Traced counts`,
      `matched the requests made (${checks.join(', ')}). Goals: idle ≤ 1% loss, count per request ≤ 5%.`,
      'Reproduce: `npm run bench -- trace`.',
      '',
      'Throughput swings by several percent between phases on a shared 2-core machine; the service\'s own CPU',
      'time per request (/proc/PID/stat, all threads) is the steadier measure of what tracing costs it. The',
      'probes section gives the in-process cost of one enabled `count()` (ns), to set against the µs of',
      'CPU per request here.',
      '',
      '| phase | program | requests/s | ratio to untraced | throughput loss | service CPU µs/request | CPU ratio |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n');
  } finally {
    svc.stdin!.end();
    svc.kill('SIGKILL');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(await benchTraceOverhead());
