// Test helper: a core of a Node process whose libuv threadpool has started (crypto.pbkdf2 jobs
// done, the 4 pool threads idle in uv_cond_wait), made with gcore. Ready line, hard timeouts,
// and the process is always killed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = `
const crypto = require('crypto');
let left = 8;
for (let i = 0; i < 8; i++) crypto.pbkdf2('pw', 'salt', 1000, 32, 'sha256', () => {
  if (--left === 0) { console.log('NATIVE_READY ' + process.pid); setInterval(() => {}, 1000); }
});
`;

/** Role: makes the core; returns its path and the directory to delete afterwards. */
export async function makeThreadpoolCore(binary: string, timeoutMs = 120_000): Promise<{ core: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-native-'));
  const child = spawn(binary, ['-e', SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const pid = await new Promise<number>((done, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error('no ready line')), timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /NATIVE_READY (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          done(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`exited ${code} before its ready line`));
      });
    });
    const prefix = join(dir, 'core');
    const r = spawnSync('gcore', ['-o', prefix, String(pid)], { timeout: timeoutMs, encoding: 'utf8' });
    const core = `${prefix}.${pid}`;
    if (r.status !== 0 || !existsSync(core)) throw new Error(`gcore failed: ${r.stderr}`);
    return { core, dir };
  } finally {
    child.kill('SIGKILL');
  }
}
