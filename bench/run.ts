// `npm run bench`: runs every benchmark and rewrites BENCHMARKS.md. Each result is a ratio to a
// baseline measured in the same run, with the command that reproduces it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { benchStackFirstFrame } from './stack-first-frame.js';
import { benchCensus } from './census.js';
import { benchHeapsnapshot } from './heapsnapshot.js';
import { benchLivePause } from './live-pause.js';
import { benchLeaks } from './leaks.js';
import { benchProbeFire } from './probe-fire.js';
import { benchTraceOverhead } from './trace-overhead.js';

const OUT = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

/** Sections of an existing BENCHMARKS.md by benchmark name (`<!-- bench:NAME -->` markers). */
function previousSections(): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(OUT)) return out;
  const parts = readFileSync(OUT, 'utf8').split(/^<!-- bench:([a-z-]+) -->\n/m);
  for (let i = 1; i + 1 < parts.length; i += 2) out.set(parts[i]!, parts[i + 1]!.trimEnd() + '\n');
  return out;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const sections = previousSections();
  const run = async (name: string, fn: () => Promise<string | undefined>): Promise<void> => {
    if (only && only !== name) return;
    const text = await fn();
    if (text !== undefined) sections.set(name, `${text.trimEnd()}\n\nMeasured on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}.\n`);
  };
  await run('stack', () => benchStackFirstFrame());
  await run('live', () => benchLivePause());
  await run('census', () => benchCensus());
  await run('heapsnapshot', () => benchHeapsnapshot());
  await run('leaks', () => benchLeaks());
  await run('profile', async () => {
    const profileBench = './profile-overhead.js';
    const mod = (await import(profileBench).catch(() => undefined)) as { benchProfileOverhead?: () => Promise<string> } | undefined;
    return mod?.benchProfileOverhead ? mod.benchProfileOverhead() : undefined;
  });
  await run('probes', () => benchProbeFire());
  await run('trace', () => benchTraceOverhead());
  const text = [
    '# Benchmarks',
    '',
    `Reproduce all with \`npm run bench\` (or one section: \`npm run bench -- stack\`, \`live\`, \`census\`, \`heapsnapshot\`, \`leaks\`, \`profile\`, \`probes\`, \`trace\`).`,
    'Every number is compared with a baseline measured in the same run on the same machine; each section names that machine and the day.',
    '',
    ...['stack', 'live', 'census', 'heapsnapshot', 'leaks', 'profile', 'probes', 'trace'].filter((n) => sections.has(n)).map((n) => `<!-- bench:${n} -->
${sections.get(n)!.trimEnd()}
`),
  ].join('\n');
  writeFileSync(OUT, text + '\n');
  process.stdout.write(text + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
