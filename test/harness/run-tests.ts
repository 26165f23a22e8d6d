// Runs every compiled test file (dist/src/**/*.test.js, dist/test/**/*.test.js) with node's test
// runner. It lists the files itself because Node 20's `node --test` does not expand globs.
import { spawn } from 'node:child_process';
import { FailureCollector } from './failure-collector.js';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './repo-paths.js';

function testFiles(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) testFiles(p, out);
    else if (entry.isFile() && entry.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const root = repoRoot();
const files = [...testFiles(join(root, 'dist', 'src'), []), ...testFiles(join(root, 'dist', 'test'), [])]
  .map((f) => relative(root, f))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no compiled test files under dist/; run the build first');
  process.exit(1);
}
// The output passes through unchanged; each failing test's TAP block is kept and printed again
// at the very end, so that the tail of a long CI log says what failed and why.
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=600000', ...process.argv.slice(2), ...files], {
  cwd: root,
  stdio: ['inherit', 'pipe', 'inherit'],
});
const failures = new FailureCollector();
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  failures.push(chunk.toString('utf8'));
});
child.on('close', (code, signal) => {
  const summary = failures.summary();
  if (summary !== '') process.stdout.write(`\n# ---- failures, again (${failures.count}) ----\n${summary}`);
  process.exit(code ?? (signal !== null ? 1 : 0));
});
