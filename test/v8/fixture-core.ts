// Test support: runs a fixture script under a Node binary, waits for its READY line (hard
// timeout), writes a core with gcore and kills the process. For fixtures that need V8 flags such
// as --allow-natives-syntax, which the harness's scenarios avoid.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const READY_TIMEOUT_MS = 30_000;
const GCORE_TIMEOUT_MS = 120_000;

/** Role: a core of a fixture process and what the process printed before READY. */
export interface FixtureCore {
  readonly corePath: string;
  readonly stdout: string;
}

/** Runs `node [...args]`, waits for `READY\n`, and writes its core into `dir`. */
export async function makeFixtureCore(node: string, args: readonly string[], dir: string): Promise<FixtureCore> {
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no READY line from ${args.join(' ')}`)), READY_TIMEOUT_MS);
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY\n')) {
          clearTimeout(timer);
          resolve(out);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`fixture exited (${code}): ${out.slice(-400)}`));
      });
    });
    writeFileSync(`/proc/${child.pid}/coredump_filter`, '0x33');
    const prefix = join(dir, 'core');
    execFileSync('gcore', ['-o', prefix, String(child.pid)], { timeout: GCORE_TIMEOUT_MS, stdio: 'ignore' });
    return { corePath: `${prefix}.${child.pid}`, stdout };
  } finally {
    child.kill('SIGKILL');
  }
}

/** Whether gcore is on the PATH. */
export function gcoreAvailable(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v gcore'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
