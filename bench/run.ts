// `npm run bench`: runs every benchmark and rewrites BENCHMARKS.md. Each result is a ratio to a
// baseline measured in the same run, with the command that reproduces it.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { benchStackFirstFrame } from './stack-first-frame.js';

const OUT = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

async function main(): Promise<void> {
  const only = process.argv[2];
  const sections: string[] = [];
  if (!only || only === 'stack') sections.push(await benchStackFirstFrame());
  if (!only || only === 'profile') {
    const profileBench = './profile-overhead.js';
    const mod = (await import(profileBench).catch(() => undefined)) as { benchProfileOverhead?: () => Promise<string> } | undefined;
    if (mod?.benchProfileOverhead) sections.push(await mod.benchProfileOverhead());
  }
  const text = [
    '# Benchmarks',
    '',
    `Reproduce all with \`npm run bench\` (or \`npm run bench -- stack\`, \`npm run bench -- profile\`).`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; measured ${new Date().toISOString().slice(0, 10)}.`,
    'Every number is compared with a baseline measured in the same run on the same machine.',
    '',
    ...sections,
  ].join('\n');
  writeFileSync(OUT, text + '\n');
  process.stdout.write(text + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
