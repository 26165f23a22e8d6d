// Frames name their function (mdb_v8's `func:`): every JS frame of `stack --json` carries its
// JSFunction's address, `stack -v` and `frame` print it, and `source`, `function` and `closure`
// follow it to the same function.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';

for (const major of testedMajors()) {
  test(`Node ${major}: from a frame to its function with source, function and closure`, { timeout: 300_000 }, async () => {
    const r = await makeCore(major, 'sync-chain');
    const json = runCli(['stack', r.corePath, '--json', '--binary', r.binary]);
    assert.equal(json.code, 0, json.stderr);
    const main = (JSON.parse(json.stdout) as { threads: { tid: number; frames: { kind: string; function?: string; functionAddress?: string }[] }[] }).threads.find((t) => t.tid === r.pid)!;
    const js = main.frames.filter((f) => f.kind === 'js');
    assert.ok(js.length > 0 && js.every((f) => /^0x[0-9a-f]+$/.test(f.functionAddress ?? '')), 'every JS frame has its JSFunction');
    const delta = js.find((f) => f.function === 'delta')!;
    const src = runCli(['source', r.corePath, delta.functionAddress!, '--binary', r.binary]);
    assert.equal(src.code, 0, src.stderr);
    assert.match(src.stdout, /^delta \(.*sync-chain\.js\)\n\d+\s+function delta\(/);
    const fn = runCli(['function', r.corePath, delta.functionAddress!, '--binary', r.binary]);
    assert.equal(fn.code, 0, fn.stderr);
    assert.match(fn.stdout, /delta/);
    const verbose = runCli(['stack', r.corePath, '-v', '--binary', r.binary]);
    assert.match(verbose.stdout, new RegExp(`func: ${delta.functionAddress}\\b`));
    const index = main.frames.indexOf(delta as (typeof main.frames)[number]);
    const frame = runCli(['frame', r.corePath, `${r.pid}:${index}`, '--binary', r.binary]);
    assert.match(frame.stdout, new RegExp(`func ${delta.functionAddress}\\b`));
  });
}
