// Bad input for `nodescope heapsnapshot`: a core cut in the middle of its heap still gives a
// valid file that memlab loads (what could not be read is left out or written as `(corrupt)`
// hidden nodes, and the command says how many); bad arguments fail with one line and exit 2.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { makeCore, type CoreResult } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';
import { FileByteSource } from '../../src/io/byte-source.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { PT_LOAD } from '../../src/elf/constants.js';
import { SnapshotFile } from './snapshot-file.js';

const dir = mkdtempSync(join(tmpdir(), 'nodescope-heapsnapshot-bad-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const major = testedMajors()[0]!;

/** A copy of the core cut in the middle of the segment holding the address `at`. */
function cutCore(core: CoreResult, at: number): string {
  const src = new FileByteSource(core.corePath);
  const seg = ElfFile.open(src).programHeaders.find((p) => p.type === PT_LOAD && p.vaddr <= at && at < p.vaddr + p.filesz)!;
  src.close();
  const buf = Buffer.alloc(seg.offset + Math.floor((at - seg.vaddr) / 2));
  const fd = openSync(core.corePath, 'r');
  readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const cut = join(dir, 'cut.core');
  writeFileSync(cut, buf);
  return cut;
}

describe(`heapsnapshot bad input, Node ${major}`, { timeout: 600_000 }, () => {
  test('a truncated core gives a valid file that memlab loads, and the command says what it lacked', async () => {
    const core = await makeCore(major, 'heap-snapshot');
    const census = runCli(['instances', core.corePath, 'SnapshotRequest', '--limit', '1', '--offset', '1500', '--binary', core.binary, '--json'], { timeoutMs: 300_000 });
    assert.equal(census.code, 0, census.stderr);
    const at = Number.parseInt((JSON.parse(census.stdout) as { instances: { address: string }[] }).instances[0]!.address, 16);
    const out = join(dir, 'cut.heapsnapshot');
    const r = runCli(['heapsnapshot', cutCore(core, at), '-o', out, '--binary', core.binary, '--json'], { timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: .*is truncated/);
    const report = JSON.parse(r.stdout) as { nodes: number; corrupt: number };
    if (report.corrupt > 0) assert.match(r.stderr, /\(corrupt\) hidden nodes/);
    const f = new SnapshotFile(out);
    assert.equal(f.count, report.nodes);
    assert.equal(f.find('hidden', '(corrupt)').length > 0, report.corrupt > 0);
    const fields = f.nodeFields.length;
    assert.ok(f.raw.edges.every((v, k) => k % 3 !== 2 || (v % fields === 0 && v / fields < f.count)), 'every edge target is a node');
    const require = createRequire(import.meta.url);
    const { getFullHeapFromFile } = require('@memlab/heap-analysis') as { getFullHeapFromFile(p: string): Promise<{ nodes: { length: number } }> };
    const heap = await getFullHeapFromFile(out);
    assert.equal(heap.nodes.length, f.count);
  });

  test('bad arguments: one line, exit 2', async () => {
    const core = await makeCore(major, 'heap-snapshot');
    const missing = runCli(['heapsnapshot', core.corePath, '--binary', core.binary], { timeoutMs: 60_000 });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing --output/);
    const noDir = runCli(['heapsnapshot', core.corePath, '-o', join(dir, 'no', 'such', 'x.heapsnapshot'), '--binary', core.binary], { timeoutMs: 60_000 });
    assert.equal(noDir.code, 2);
    assert.equal(noDir.stderr.trim().split('\n').length, 1, noDir.stderr);
    assert.match(noDir.stderr, /cannot write/);
  });
});
