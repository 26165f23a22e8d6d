// The llnode baseline for the census benchmark: `v8 findjsobjects` and `v8 findrefs -v` on the same
// core under lldb-14, timed in the same run. llnode 4 is built from npm against Debian's lldb-14
// (installed here on first use, as root; the plugin goes to .cache/llnode/); when it cannot run,
// the reason is reported instead of a number.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Role: what llnode took on the core. */
export interface LlnodeTiming {
  readonly findjsobjectsMs: number;
  readonly findjsobjectsRssMb: number;
  readonly findrefsMs?: number;
  /** lldb loading the binary and core alone (no command), for reading the figures. */
  readonly loadMs: number;
  readonly note?: string;
}

const DIR = fileURLToPath(new URL('../../.cache/llnode/', import.meta.url));
const PLUGIN = join(DIR, 'node_modules', 'llnode', 'llnode.so');
const LLDB = '/usr/bin/lldb-14';
/** Debian's python3-lldb-14 looks for its module in the wrong place; this silences the tracebacks. */
const PYTHONPATH = '/usr/lib/llvm-14/lib/python3.11/dist-packages';

/** Installs lldb-14 and llnode when missing; returns why not when it cannot. */
function ensureLlnode(): string | undefined {
  if (!existsSync(LLDB)) {
    if (process.getuid?.() !== 0) return 'not run: lldb-14 is not installed (apt-get install lldb-14 liblldb-14-dev, as root)';
    const apt = spawnSync('apt-get', ['install', '-y', '-q', 'lldb-14', 'liblldb-14-dev'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: 'ignore', timeout: 1_200_000 });
    if (apt.status !== 0 || !existsSync(LLDB)) return 'not run: apt-get install lldb-14 liblldb-14-dev failed';
  }
  if (!existsSync(PLUGIN)) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, 'package.json'), '{"name":"nodescope-llnode-baseline","version":"1.0.0","private":true}\n');
    // llnode's install script only looks for lldb names ending in ".0"; name lldb-14 for it.
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', 'llnode@4'], { cwd: DIR, env: { ...process.env, npm_config_lldb_exe: LLDB }, stdio: 'ignore', timeout: 1_200_000 });
    if (npm.status !== 0 || !existsSync(PLUGIN)) return 'not run: npm install llnode@4 failed to build against lldb-14';
  }
  return undefined;
}

/** Runs lldb-14 with llnode on the core; wall ms, peak RSS (GNU time when present) and stdout. */
function lldb(core: string, binary: string, commands: readonly string[]): { ms: number; rssMb: number; stdout: string; ok: boolean } {
  const args = ['--batch', ...commands.flatMap((c) => ['-o', c]), '-c', core, binary];
  const timed = existsSync('/usr/bin/time');
  const argv = timed ? ['/usr/bin/time', '-f', '%M', LLDB, ...args] : [LLDB, ...args];
  const start = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, PYTHONPATH }, timeout: 1_800_000, maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  const rssKb = timed ? Number(/(\d+)\s*$/.exec(r.stderr ?? '')?.[1] ?? NaN) : NaN;
  return { ms, rssMb: rssKb / 1024, stdout: r.stdout ?? '', ok: r.status === 0 };
}

/** Times llnode on `core`; a string says why it could not be run. */
export async function llnodeBaseline(core: string, binary: string, address: string): Promise<LlnodeTiming | string> {
  const why = ensureLlnode();
  if (why !== undefined) return why;
  const load = lldb(core, binary, []);
  const objects = lldb(core, binary, [`plugin load ${PLUGIN}`, 'v8 findjsobjects']);
  if (!objects.ok || !/Instances\s+Total Size/.test(objects.stdout)) return 'not run: llnode findjsobjects failed on this core';
  // findrefs scans the heap again on its own (llnode caches nothing across lldb runs).
  const tagged = `0x${(Number.parseInt(address, 16) + 1).toString(16)}`;
  const refs = lldb(core, binary, [`plugin load ${PLUGIN}`, `v8 findrefs -v ${tagged}`]);
  const named = /RequestContext/.test(objects.stdout);
  return {
    findjsobjectsMs: objects.ms,
    findjsobjectsRssMb: objects.rssMb,
    loadMs: load.ms,
    ...(refs.ok ? { findrefsMs: refs.ms } : {}),
    note: `llnode 4 under lldb-14: loading the core and binary alone takes ${load.ms.toFixed(0)} ms of each llnode figure. ${named ? '' : 'Its findjsobjects does not name the 3,000,000 class instances (they are counted as `(Object)`), so it cannot answer the question the census answers.'}`,
  };
}
