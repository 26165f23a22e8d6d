// Prepares a machine for the test suite, one line per step: gdb (gcore makes the cores), perf,
// gcc and libc6-dbg (the native-memory tests),
// and the Node binary of every tested major. Idempotent; installs with apt-get only when
// something is missing and we are root (as on CI).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { installedVersions, nodeBinary, testedMajors } from './node-binaries.js';

const APT_TIMEOUT_MS = 20 * 60_000;

function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function works(program: string, args: string[]): boolean {
  const r = spawnSync(program, args, { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}

/** Whether Debian package `name` is installed (dpkg's status says so). */
function debInstalled(name: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && /install ok installed/.test(r.stdout ?? '');
}

/** Runs apt-get (update once, then install); returns an error text or undefined. */
function aptInstall(packages: string[], state: { updated: boolean }): string | undefined {
  if (process.getuid?.() !== 0) return 'not root, cannot apt-get install';
  if (which('apt-get') === undefined) return 'no apt-get on this machine';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const steps: string[][] = state.updated ? [] : [['update']];
  steps.push(['install', '-y', '--no-install-recommends', ...packages]);
  for (const args of steps) {
    const r = spawnSync('apt-get', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: APT_TIMEOUT_MS, encoding: 'utf8' });
    if (r.status !== 0) {
      const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
      return `apt-get ${args[0]} failed: ${tail || String(r.error ?? r.signal)}`;
    }
    if (args[0] === 'update') state.updated = true;
  }
  return undefined;
}

async function main(): Promise<number> {
  const apt = { updated: false };
  let failed = 0;

  if (which('gdb') && which('gcore')) {
    console.log(`setup: gdb: present (${which('gdb')})`);
  } else {
    const err = aptInstall(['gdb'], apt);
    if (err === undefined && which('gcore')) console.log('setup: gdb: installed with apt-get');
    else {
      console.log(`setup: gdb: MISSING (${err ?? 'gcore not found after install'}); scenario cores cannot be made`);
      failed++;
    }
  }

  if (which('perf') && works('perf', ['--version'])) {
    console.log('setup: perf: present');
  } else {
    const err = aptInstall(['linux-perf'], apt);
    if (err === undefined && which('perf') && works('perf', ['--version'])) console.log('setup: perf: installed with apt-get (linux-perf)');
    else console.log(`setup: perf: unavailable (${err ?? 'perf does not run on this kernel'}); perf-based tests skip`);
  }

  // The native-memory tests build an N-API addon with the system compiler, and name libc's
  // frames and main_arena from libc6-dbg as gdb does; without them those checks skip, saying so.
  if (which('gcc')) console.log('setup: gcc: present');
  else {
    const err = aptInstall(['gcc'], apt);
    console.log(err === undefined && which('gcc') ? 'setup: gcc: installed with apt-get' : `setup: gcc: unavailable (${err ?? 'gcc not found after install'}); the native addon test skips`);
  }
  if (debInstalled('libc6-dbg')) {
    console.log('setup: libc6-dbg: present');
  } else {
    const err = aptInstall(['libc6-dbg'], apt);
    console.log(err === undefined ? 'setup: libc6-dbg: installed with apt-get' : `setup: libc6-dbg: unavailable (${err}); libc frames stay unnamed and main_arena is found by scan`);
  }

  for (const major of testedMajors()) {
    const had = installedVersions(major)[0];
    try {
      const node = await nodeBinary(major);
      console.log(`setup: node ${major}: ${node.version} (${had === node.version ? 'cached' : 'fetched from npm'})`);
    } catch (e) {
      console.log(`setup: node ${major}: MISSING (${(e as Error).message.split('\n')[0]})`);
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
