// The programmatic API gives the same stack as the CLI's --json for a core.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCore, stackAnalysis } from '../../src/index.js';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from './run-cli.js';

test('openCore + stackAnalysis equals `stack --json`', { timeout: 300_000 }, async () => {
  const r = await makeCore(testedMajors()[0]!, 'sync-chain');
  const s = openCore(r.corePath, { binary: r.binary });
  try {
    const api = stackAnalysis(s);
    const cli = runCli(['stack', r.corePath, '--binary', r.binary, '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), JSON.parse(JSON.stringify(api)));
  } finally {
    s.close();
  }
});

test('the census, the reference graph and the mark are session services, built once', { timeout: 300_000 }, async () => {
  const r = await makeCore(testedMajors()[0]!, 'closures');
  const s = openCore(r.corePath, { binary: r.binary });
  try {
    const census = s.census();
    const graph = s.heapGraph();
    assert.equal(s.census(), census);
    assert.equal(graph.table, census.table, 'the graph indexes the census table');
    assert.equal(s.heapGraph(), graph);
    assert.equal(s.reachability(), s.reachability());
    assert.ok(s.reachability().live > 1000);
  } finally {
    s.close();
  }
});
