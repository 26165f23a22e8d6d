// `memory -p` on a live process of the primary major: the categories add up to its RSS (resident
// pages from pagemap, total from smaps_rollup), and a 16 MiB Buffer the process filled is
// external memory owned by a Buffer. The process keeps running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { runCli, waitForFirstOutput } from '../cli/run-cli.js';

interface Memory {
  total: number;
  measure: string;
  categories: { name: string; bytes: number }[];
  external: { holders: { constructor: string; bytes: number }[]; top: { constructor: string; bytes: number }[] };
}

const BYTES = 16 << 20;

test('memory -p reconciles to RSS and finds the filled Buffer', { timeout: 300_000 }, async () => {
  const node = await nodeBinary(testedMajors()[0]!);
  const src = `globalThis.held = Buffer.alloc(${BYTES}).fill(7); console.log('ready'); setInterval(() => {}, 1000);`;
  const child = spawn(node.path, ['-e', src], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await waitForFirstOutput(child);
    const r = runCli(['memory', '-p', String(child.pid), '--json'], { timeoutMs: 240_000 });
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout) as Memory;
    assert.equal(m.measure, 'resident');
    assert.equal(m.categories.reduce((a, c) => a + c.bytes, 0), m.total, 'categories add up to the total');
    const rss = Number(/^Rss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/smaps_rollup`, 'utf8'))![1]) * 1024;
    assert.ok(Math.abs(rss - m.total) < rss * 0.1, `total ${m.total} is the RSS (${rss} now)`);
    const outside = m.categories.find((c) => c.name.startsWith('resident outside'));
    assert.ok(outside === undefined || Math.abs(outside.bytes) < rss * 0.02, 'the resident pages found account for the RSS');
    assert.ok(m.external.top.some((h) => h.constructor === 'Buffer' && h.bytes === BYTES));
    const ext = m.categories.find((c) => c.name.startsWith('external'))!;
    assert.ok(ext.bytes >= BYTES, `the filled Buffer is resident external memory (${ext.bytes})`);
    assert.notEqual(readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]![0], 'T', 'left running');
  } finally {
    child.kill('SIGKILL');
  }
});
