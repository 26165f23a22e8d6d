// Triage of many cores: cores of two different bugs (an uncaught TypeError and an unhandled
// rejection, whose messages carry numbers that vary by run), each taken on two majors, group
// into exactly two groups; a zstd copy of one core joins its group; a non-core file is skipped
// in a directory and reported when named.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeCore, type CoreResult } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';

interface Group {
  signature: string;
  count: number;
  cores: string[];
  kind: string;
  error?: { constructor: string; message: string };
  frames: string[];
  nodeVersions: string[];
  firstSeen: string;
  lastSeen: string;
  example: string;
}

const dir = mkdtempSync(join(tmpdir(), 'nodescope-triage-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function hasZstd(): boolean {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('two bugs on two majors make exactly two groups', { timeout: 900_000 }, async () => {
  const majors = testedMajors();
  const pair = [majors[0]!, majors[majors.length - 1]!];
  const cores: CoreResult[] = [];
  for (const m of pair) for (const scenario of ['ledger-crash', 'rejection-crash']) cores.push(await makeCore(m, scenario));
  const paths = cores.map((c, i) => {
    const p = join(dir, `core.${c.scenario}.${c.major}.${i}`);
    copyFileSync(c.corePath, p);
    return p;
  });
  writeFileSync(join(dir, 'README.txt'), 'not a core\n');
  if (hasZstd()) execFileSync('zstd', ['-q', '-1', cores[0]!.corePath, '-o', join(dir, 'core.ledger.zst')]);
  // One node binary per core: each core names the one that ran it (the cache's path).
  const r = runCli(['triage', dir, '--json'], { timeoutMs: 600_000 });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { groups: Group[]; failed: unknown[] };
  assert.deepEqual(out.failed, []);
  assert.equal(out.groups.length, 2, out.groups.map((g) => g.signature).join('\n'));
  const ledger = out.groups.find((g) => g.kind === 'uncaught-exception')!;
  const rejection = out.groups.find((g) => g.kind === 'unhandled-rejection')!;
  assert.equal(ledger.count, hasZstd() ? 3 : 2);
  assert.equal(rejection.count, 2);
  assert.equal(ledger.signature, 'uncaught-exception | TypeError: ledger mismatch on account <n> | reconcileLedger (scenarios/ledger-crash.js) | applyTransfers (scenarios/ledger-crash.js) | processBatch (scenarios/ledger-crash.js)');
  assert.equal(rejection.signature, 'unhandled-rejection | RangeError: card declined for order <n> | chargeCard (scenarios/rejection-crash.js)');
  for (const g of [ledger, rejection]) {
    assert.deepEqual(g.nodeVersions, [...new Set(cores.filter((c) => g.cores.some((p) => p.includes(c.scenario))).map((c) => c.nodeVersion.replace(/^v/, '')))].sort());
    assert.ok(g.firstSeen <= g.lastSeen);
    assert.ok(g.cores.includes(g.example));
  }
  if (hasZstd()) assert.match(r.stderr, /zstd-compressed: decompressing into/);
  const text = runCli(['triage', dir], { timeoutMs: 600_000 });
  assert.equal(text.code, 0);
  assert.match(text.stdout, /cores in 2 groups/);
  // A file that is not a core, named explicitly, is reported and the rest still grouped.
  const named = runCli(['triage', join(dir, 'README.txt'), paths[0]!, '--json'], { timeoutMs: 600_000 });
  assert.equal(named.code, 0, named.stderr);
  const n = JSON.parse(named.stdout) as { groups: Group[]; failed: { core: string; problem: string }[] };
  assert.equal(n.groups.length, 1);
  assert.equal(n.failed.length, 1);
  assert.match(n.failed[0]!.problem, /README\.txt/);
});
