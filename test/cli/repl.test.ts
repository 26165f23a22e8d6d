// The interactive session on a core: commands run without repeating the core path, mdb_v8 and
// llnode spellings work, and an error prints one line while the session goes on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { CLI } from './run-cli.js';

test('REPL on a core', { timeout: 300_000 }, async () => {
  const r = await makeCore(testedMajors()[0]!, 'sync-chain');
  const input = ['::jsstack', 'v8 bt', 'print 0x8', 'nosuchcommand', 'layout --json', 'quit', ''].join('\n');
  const out = spawnSync(process.execPath, [CLI, r.corePath, '--binary', r.binary], { input, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', HOME: '/tmp' } });
  assert.equal(out.status, 0, out.stderr);
  const text = out.stdout;
  assert.match(text, new RegExp(`on ${r.corePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pid ${r.pid}`));
  assert.equal((text.match(/js:\s+delta\s/g) ?? []).length, 2, '::jsstack and v8 bt both print the stack');
  assert.match(out.stderr, /^error: NOT_AN_OBJECT: 0x8 is not in the core/m, 'a bad address is one line, with its code');
  assert.match(out.stdout + out.stderr, /no command 'nosuchcommand'/, 'the session goes on after it');
  assert.match(text, /"constants": \[/, 'the session went on after the errors');
});

test('REPL: the census is built once; refs and path after it are queries, in mdb_v8 spelling too', { timeout: 300_000 }, async () => {
  const r = await makeCore(testedMajors()[0]!, 'heap-census');
  const probe = spawnSync(process.execPath, [CLI, 'instances', r.corePath, 'Legacy', '--limit', '2', '--json', '--binary', r.binary], { encoding: 'utf8', timeout: 120_000 });
  const [a, b] = (JSON.parse(probe.stdout) as { instances: { address: string }[] }).instances.map((x) => x.address);
  const input = ['::findjsobjects -c Legacy', `refs ${a}`, `${b}::findrefs`, `path ${a}`, 'functions --name countHit', 'quit', ''].join('\n');
  const out = spawnSync(process.execPath, [CLI, r.corePath, '--binary', r.binary], { input, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', HOME: '/tmp' } });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /2,345 .*Legacy \{ x, y \}/);
  assert.match(out.stdout, new RegExp(`${a} Legacy is held by 1 reference\\n\\s+0x[0-9a-f]+\\s+Array \\[\\d+\\]`));
  assert.match(out.stdout, new RegExp(`${b} Legacy is held by 1 reference`));
  assert.match(out.stdout, /\.legacy → Array .*\n\s+\[\d+\] → Legacy/);
  assert.match(out.stdout, /4,321 .* countHit/);
});
