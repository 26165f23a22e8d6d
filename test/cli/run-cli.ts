// Runs the built `nodescope` CLI as a child process with a hard timeout, for CLI tests.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built CLI entry. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** What one CLI run printed and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `nodescope args…` (optionally through a wrapper such as setpriv) and waits, bounded. */
export function runCli(args: readonly string[], opts: { timeoutMs?: number; wrapper?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const argv = [...(opts.wrapper ?? []), process.execPath, CLI, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 256 << 20,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Waits (bounded) for the first output of a child that prints a ready line. */
export function waitForFirstOutput(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no ready line')), timeoutMs);
    child.stdout!.once('data', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
