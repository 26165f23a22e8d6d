// Helpers of the live profiling tests: start the spinning fixture with a Node binary and wait
// for its ready line, run the profile CLI with a hard timeout, and check what a target was left
// with (listening sockets it owns, run state) straight from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/repo-paths.js';
import { startReadyChild } from '../harness/ready-child.js';

/** Role: path of a fixture script. */
export function fixture(name: string): string {
  return join(repoRoot(), 'test', 'profile', 'fixtures', name);
}

/** Role: a started fixture process. */
export interface Spinner {
  readonly child: ChildProcess;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Role: starts `script` with `node` and resolves at its `ready` line (rejects after `timeoutMs`).
 * Unless `args` say otherwise, the inspector SIGUSR1 opens listens on a free port
 * (`--inspect-port=0`), so that test files profiling at the same time do not meet on 9229.
 */
export async function startSpinner(node: string, opts: { args?: string[]; env?: Record<string, string>; timeoutMs?: number; script?: string } = {}): Promise<Spinner> {
  const r = await startReadyChild(node, [...(opts.args ?? ['--inspect-port=0']), opts.script ?? fixture('spin.js')], {
    ready: /^ready \d+$/m,
    env: { ...process.env, SPIN_SECONDS: '120', ...opts.env },
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  return { child: r.child, pid: r.child.pid!, stop: r.stop };
}

/** Role: result of one CLI run. */
export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Role: runs the `nodescope` bin with `args` and a hard timeout. */
export function runCli(args: readonly string[], opts: { timeoutMs?: number; env?: Record<string, string>; cwd?: string; onStderr?: (all: string) => void } = {}): Promise<CliResult> {
  const cli = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, cwd: opts.cwd ?? repoRoot() });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); opts.onStderr?.(stderr); });
    const timer = setTimeout(() => { stderr += '\n[killed by the test timeout]'; child.kill('SIGKILL'); }, opts.timeoutMs ?? 90_000);
    child.once('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** Role: TCP ports the process `pid` listens on (LISTEN rows of /proc/PID/net/tcp{,6} whose inode it holds). */
export function listeningPortsOf(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // fd closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const t of ['tcp', 'tcp6']) {
    let text = '';
    try { text = readFileSync(`/proc/${pid}/net/${t}`, 'latin1'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9]!)) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** Role: the state letter of /proc/PID/stat (R, S, T, t, Z, …). */
export function procState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/** Role: samples per folded-stack line, and the share of samples whose stack contains `name`. */
export function foldedShare(text: string, name: string): { total: number; share: number } {
  let total = 0;
  let hit = 0;
  for (const line of text.split('\n')) {
    const m = /^(.*) (\d+)$/.exec(line);
    if (!m) continue;
    total += Number(m[2]);
    if (m[1]!.includes(name)) hit += Number(m[2]);
  }
  return { total, share: total > 0 ? hit / total : 0 };
}
