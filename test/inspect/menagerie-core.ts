// The menagerie scenario's core for a Node major: through the harness's makeCore once it lists
// the scenario; until then made here (spawn, ready line, the product's snapshotProcess) and cached
// under .cache/cores/<version>/ by a hash of the scenario scripts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotProcess } from '../../src/target/live/snapshot-process.js';
import { withFileLock } from '../harness/file-lock.js';
import { makeCore, SCENARIOS } from '../harness/make-core.js';
import { nodeBinary } from '../harness/node-binaries.js';
import { coreCacheDir, scenariosDir } from '../harness/repo-paths.js';

/** Role: a menagerie core with its manifest. */
export interface MenagerieCore {
  readonly corePath: string;
  readonly binary: string;
  readonly nodeVersion: string;
  readonly manifest: { readonly marker: string; readonly values: Readonly<Record<string, { type: string; inspect: string; json?: string; number?: string; length?: number }>> };
}

/** Hard limit for the ready line and the snapshot. */
const TIMEOUT_MS = 120_000;

/** Makes (or reuses) the menagerie core of `major`. */
export async function menagerieCore(major: number): Promise<MenagerieCore> {
  if (SCENARIOS.includes('menagerie')) {
    const r = await makeCore(major, 'menagerie');
    return { corePath: r.corePath, binary: r.binary, nodeVersion: r.nodeVersion, manifest: r.manifest as unknown as MenagerieCore['manifest'] };
  }
  const node = await nodeBinary(major);
  const script = join(scenariosDir(), 'menagerie.js');
  const hash = createHash('sha256').update(readFileSync(script)).update(readFileSync(join(scenariosDir(), 'lib', 'kit.js'))).digest('hex').slice(0, 12);
  const dir = join(coreCacheDir(), node.version);
  const corePath = join(dir, `menagerie-own-${hash}.core`);
  const jsonPath = join(dir, `menagerie-own-${hash}.json`);
  mkdirSync(dir, { recursive: true });
  const load = (): MenagerieCore => ({ corePath, binary: node.path, nodeVersion: node.version, manifest: JSON.parse(readFileSync(jsonPath, 'utf8')) as MenagerieCore['manifest'] });
  if (existsSync(corePath) && existsSync(jsonPath)) return load();
  return withFileLock(join(dir, '.lock-menagerie-own'), async () => {
    if (existsSync(corePath) && existsSync(jsonPath)) return load();
    const partial = `${corePath}.${process.pid}.partial`;
    const manifestTmp = `${jsonPath}.${process.pid}.partial`;
    const child = spawn(node.path, [script, manifestTmp], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const pid = await new Promise<number>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('menagerie: no ready line')), TIMEOUT_MS);
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /NODESCOPE_READY (\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`menagerie exited early (${code})`));
        });
      });
      await snapshotProcess(pid, partial, { timeoutMs: TIMEOUT_MS });
      renameSync(partial, corePath);
      writeFileSync(jsonPath, readFileSync(manifestTmp));
      return load();
    } finally {
      child.kill('SIGKILL');
      rmSync(partial, { force: true });
      rmSync(manifestTmp, { force: true });
    }
  });
}
