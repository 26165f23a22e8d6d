// The built-in probe catalog, the agent's own table and docs/probes.md must agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BUILTIN_PROBES } from './probe-catalog.js';

test('the agent offers exactly the catalog\'s built-in probes, with the same argument order; docs/probes.md lists each', () => {
  const agent = readFileSync(new URL('../../../src/trace/agent/agent.cts', import.meta.url), 'utf8');
  const table = /const BUILTIN_ARGS: Record<string, string\[\]> = \{([^}]+)\};/.exec(agent)![1]!;
  const rows = [...table.matchAll(/'([a-z]+:[a-z-]+)': \[([^\]]*)\]/g)].map((m) => [m[1], [...m[2]!.matchAll(/'([a-z_]+)'/g)].map((x) => x[1])]);
  assert.deepEqual(rows, BUILTIN_PROBES.map((p) => [`${p.provider}:${p.name}`, p.args.map((a) => a.name)]));
  const docs = readFileSync(new URL('../../../docs/probes.md', import.meta.url), 'utf8');
  for (const p of BUILTIN_PROBES) assert.match(docs, new RegExp(`^\\| \`${p.provider}:${p.name}\` \\|`, 'm'));
});
