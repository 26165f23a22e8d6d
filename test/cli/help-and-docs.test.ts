// --help, per-command help and docs/cli.md all come from the one registry, and docs/cli.md is
// up to date with it (regenerate with `npm run docs`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { registry } from '../../src/commands/registry.js';
import { CLI, runCli } from './run-cli.js';

const DOCS = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));

test('docs/cli.md matches the registry (run `npm run docs` after changing a command)', () => {
  const r = runCli(['help', '--markdown']);
  assert.equal(r.code, 0);
  assert.equal(readFileSync(DOCS, 'utf8'), r.stdout);
});

test('--help lists every command and each command has its own help', () => {
  const top = runCli(['--help']);
  assert.equal(top.code, 0);
  for (const c of registry()) {
    assert.match(top.stdout, new RegExp(`^  ${c.name}\\b`, 'm'), `${c.name} in --help`);
    const one = runCli([c.name, '--help']);
    assert.equal(one.code, 0, `${c.name} --help`);
    assert.ok(one.stdout.startsWith(`nodescope ${c.name}`), `${c.name} --help starts with its usage`);
  }
});

test('aliases reach the same command as in mdb_v8 and llnode', () => {
  const cmds = registry();
  const byAlias = (a: string): string | undefined => cmds.find((c) => c.aliases.includes(a))?.name;
  assert.equal(byAlias('jsstack'), 'stack');
  assert.equal(byAlias('v8 bt'), 'stack');
  assert.equal(byAlias('jsprint'), 'print');
  assert.equal(byAlias('v8 inspect'), 'print');
  assert.equal(byAlias('jssource'), 'source');
});

test('docs/errors.md documents every error code nodescope can print', () => {
  const docs = readFileSync(fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)), 'utf8');
  const source = readFileSync(fileURLToPath(new URL('../../../src/util/errors.ts', import.meta.url)), 'utf8');
  const codes = new Set([...source.matchAll(/readonly code = '([A-Z_]+)'/g)].map((m) => m[1]!));
  for (const m of /TargetErrorCode =([^;]+);/.exec(source)![1]!.matchAll(/'([A-Z_]+)'/g)) codes.add(m[1]!);
  assert.ok(codes.size >= 14, [...codes].join(' '));
  for (const code of codes) assert.match(docs, new RegExp(`^\\| \`${code}\` \\|`, 'm'), `${code} in docs/errors.md`);
});

test("the package's bin runs as a program after the build (the README's npx nodescope demo)", () => {
  assert.ok((statSync(CLI).mode & 0o111) !== 0, `${CLI} is executable`);
  const r = spawnSync(CLI, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^nodescope \d+\.\d+\.\d+\n$/);
});
