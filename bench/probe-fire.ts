// Cost of a module probe site (nodescope/probes) against an empty loop, node-dtrace-provider's
// Linux stub shape and a bare diagnostics_channel hasSubscribers guard, per major: each variant
// in its own process (no JIT feedback shared), medians of REPEAT runs interleaved across variants. bench/run.ts calls
// benchProbeFire() for BENCHMARKS.md; alone: node dist/bench/probe-fire.js
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { nodeBinary, testedMajors } from '../test/harness/node-binaries.js';

const FIXTURE = fileURLToPath(new URL('../../bench/fixtures/probe-loop.cjs', import.meta.url));
const DIST = fileURLToPath(new URL('../', import.meta.url));
const VARIANTS = ['empty', 'flag', 'nodescope', 'nodescope-static-cb', 'nodescope-guarded', 'dtrace-stub', 'has-subscribers', 'nodescope-enabled'] as const;
const REPEAT = 7;

function once(node: string, variant: string, n: number): number {
  const r = spawnSync('nice', ['-n', '10', node, FIXTURE], { env: { ...process.env, NODESCOPE_DIST: join(DIST), VARIANT: variant, N: String(n) }, encoding: 'utf8', timeout: 120_000 });
  const m = /^ns (\S+)/m.exec(r.stdout);
  if (m === null) throw new Error(`${variant}: ${r.stderr}`);
  return Number(m[1]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs the benchmark; answers its BENCHMARKS.md section. */
export async function benchProbeFire(): Promise<string> {
  const rows: string[] = [];
  for (const major of testedMajors()) {
    const bin = await nodeBinary(major);
    // Variants interleaved run by run, so that load from elsewhere on the machine spreads over all of them.
    const runs = new Map<string, number[]>(VARIANTS.map((v) => [v, []]));
    for (let r = 0; r < REPEAT; r++) for (const v of VARIANTS) runs.get(v)!.push(once(bin.path, v, v === 'nodescope-enabled' ? 5e6 : 1e8));
    const ns: Record<string, number> = {};
    for (const v of VARIANTS) ns[v] = median(runs.get(v)!);
    const d = (v: string): string => `${ns[v]!.toFixed(2)} (${(ns[v]! - ns.empty!) >= 0 ? '+' : ''}${(ns[v]! - ns.empty!).toFixed(2)})`;
    rows.push(`| ${bin.version} | ${ns.empty!.toFixed(2)} | ${d('flag')} | ${d('nodescope')} | ${d('nodescope-static-cb')} | ${d('nodescope-guarded')} | ${d('dtrace-stub')} | ${d('has-subscribers')} | ${ns['nodescope-enabled']!.toFixed(0)} |`);
  }
  return [
    '## Module probes: the cost of a disabled `fire()`',
    '',
    'ns per loop iteration (in parentheses: minus the empty loop), medians of 7 runs interleaved across variants, each in its own',
    'process: the loop body is `acc ^= i` plus the probe site, whose callback allocates an argument array',
    '(`() => [cur]`) and must not run. `nodescope`: `probe.fire(cb)` of nodescope/probes with nothing attached;',
    '`dtrace-stub`: the shape node-dtrace-provider falls back to on Linux (an object whose `fire` is an empty',
    'function); `has-subscribers`: `if (channel.hasSubscribers) channel.publish(…)` with no subscriber.',
    '`if (probe.enabled)`: the same site behind a guard on the probe\'s own flag. The callbacks capture an',
    'outer variable (capturing the loop\'s own `let i` makes V8 allocate a context per iteration, probe or not),',
    'and the empty loop captures it too, so that it sits in a context slot in every variant.',
    '`plain if (flag.enabled)`: the floor of any disabled probe, one load of a mutable property and a branch;',
    '`callback made once`: `probe.fire(cb)` with `cb` made outside the loop (no closure per call). A disabled',
    'probe\'s `fire` is an empty method (enabling swaps the probe\'s prototype, as diagnostics_channel does for',
    'its channels), so V8 inlines it to nothing; an inline arrow callback still costs its closure, which V8',
    'makes before the call, as it does for node-dtrace-provider\'s stub.',
    '`enabled`: the same site with the agent in the process and `bench:tick { @ = count() }` loaded (the',
    'count is checked), ns per fire. Reproduce: `npm run bench -- probes`.',
    '',
    '| node | empty loop | plain `if (flag.enabled)` | nodescope disabled | nodescope, callback made once | nodescope, `if (probe.enabled)` | dtrace-provider stub | hasSubscribers guard | nodescope enabled, count() |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(await benchProbeFire());
