// `stack` on real cores of every tested Node major: names, files, definition lines, argument
// counts and simple argument values checked against what each scenario wrote about itself, and
// the abort scenario's frames against the stack Node itself printed before aborting.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Session } from '../../src/analysis/session.js';
import { stackAnalysis } from '../../src/analysis/stack.js';
import type { StackFrame, ThreadStack } from '../../src/analysis/stack-model.js';
import { makeCore, SCENARIOS, type CoreResult } from '../harness/make-core.js';
import type { ManifestFrame, ManifestStack } from '../harness/manifest.js';
import { testedMajors } from '../harness/node-binaries.js';

const TIMEOUT = 300_000;

function nameMatches(f: StackFrame, m: ManifestFrame): boolean {
  const want = [m.name, m.inferredName].filter((x): x is string => !!x);
  const have = [f.function, f.inferredName].filter((x): x is string => !!x);
  if (want.length === 0) return have.length === 0 || f.function === '';
  return want.some((w) => have.some((h) => h === w || h.endsWith(`.${w}`)));
}

/** Finds manifest frames in order among our JS frames; returns our index of each. */
function align(ours: readonly StackFrame[], frames: readonly ManifestFrame[]): number[] {
  const at: number[] = [];
  let i = 0;
  for (const m of frames) {
    while (i < ours.length && !(nameMatches(ours[i]!, m) && ours[i]!.script === m.script)) i++;
    assert.ok(i < ours.length, `frame ${m.inferredName ?? m.name} (${m.script}) not found among ${ours.map((f) => f.function || f.inferredName).join(', ')}`);
    at.push(i);
    i += m.repeat ?? 1;
  }
  return at;
}

/** The lines of the loop that starts at `line` (up to its closing brace): a spinning frame may be on any. */
function loopLines(script: string, line: number): [number, number] {
  const lines = readFileSync(script, 'utf8').split('\n');
  let end = line;
  while (end < lines.length && !/^\s*\}\s*$/.test(lines[end - 1]!)) end++;
  return [line, end];
}

function checkFrame(f: StackFrame, m: ManifestFrame, where: string, spinning = false): void {
  // The scenario recorded V8's own [[FunctionLocation]] through its inspector: exactly that.
  assert.ok(m.line !== undefined && m.column !== undefined, `${where}: the scenario recorded no [[FunctionLocation]]`);
  assert.equal(`${f.line}:${f.column}`, `${m.line}:${m.column}`, `${where}: definition (V8's [[FunctionLocation]])`);
  assert.equal(f.args?.length, m.argc, `${where}: argument count`);
  m.args.forEach((a, i) => {
    const ours = f.args![i]!;
    if (a.type === 'number' && Number.isInteger(Number(a.inspect))) assert.equal(ours.preview, a.inspect, `${where}: arg ${i + 1}`);
    if (a.type === 'string' && a.json !== undefined && a.json.length < 30) assert.equal(ours.preview, a.json, `${where}: arg ${i + 1}`);
    if (a.type === 'boolean' || a.type === 'undefined' || a.type === 'null') assert.equal(ours.preview, a.inspect, `${where}: arg ${i + 1}`);
  });
  if (m.currentLine !== undefined && f.currentLine !== undefined) {
    const [lo, hi] = spinning ? loopLines(m.script, m.currentLine) : [m.currentLine, m.currentLine];
    assert.ok(f.currentLine >= lo && f.currentLine <= hi, `${where}: current line ${f.currentLine}, scenario says ${lo === hi ? lo : `${lo}–${hi}`}`);
  }
}

/**
 * Functions with neither a name nor an inferred one are named as V8's own stack trace at the hold
 * site names them (`Object.<anonymous>`, `Function._load`; nothing for top-level code), matched
 * by script and current line — Node's loader frames included.
 */
function checkAnonymousNames(ours: readonly StackFrame[], stack: ManifestStack, label: string): void {
  for (const p of stack.parsedStack.slice(1)) {
    if (p.async) continue;
    const f = ours.find((o) => o.script === p.file && o.currentLine === p.line);
    if (f === undefined || f.function !== '' || f.inferredName !== undefined) continue;
    const name = f.callName ?? '';
    // Accepted difference: a method named by a symbol and called from C++ (Node's MessagePort
    // dispatch, `[nodejs.internal.kHybridDispatch]`) is printed by V8 without its receiver's
    // type; we name the type (MessagePort.[…]) as V8 does for every other method call.
    const symbolMethod = p.function.startsWith('[') && name.endsWith(`.${p.function}`);
    assert.ok(name === p.function || symbolMethod, `${label}: the anonymous frame at ${p.file}:${p.line} is '${name}', V8's stack says '${p.function}'`);
  }
}

function checkStack(thread: ThreadStack | undefined, stack: ManifestStack, label: string, spinning: boolean): void {
  assert.ok(thread, `${label}: no thread ${stack.tid} in the core`);
  const ours = thread.frames.filter((f) => f.kind === 'js');
  assert.ok(ours.length > 0, `${label}: no JS frame on thread ${stack.tid}`);
  const at = align(ours, stack.frames);
  assert.equal(at[0], 0, `${label}: the innermost JS frame is ${ours[0]!.function || ours[0]!.inferredName}, not ${stack.frames[0]!.name}`);
  checkAnonymousNames(ours, stack, label);
  stack.frames.forEach((m, k) => {
    checkFrame(ours[at[k]!]!, m, `${label} frame ${m.inferredName ?? m.name}`, spinning && k === 0);
    if (m.repeat !== undefined) {
      let n = 0;
      while (at[k]! + n < ours.length && nameMatches(ours[at[k]! + n]!, m)) n++;
      assert.ok(n >= m.repeat, `${label}: ${m.name} repeats ${n} times, scenario says ${m.repeat}`);
    }
  });
}

function checkAbortReport(r: CoreResult, main: ThreadStack): void {
  const report = r.abortReport;
  assert.ok(report, 'the abort scenario printed Node\'s FROM stack');
  const ours = main.frames.filter((f) => f.kind === 'js');
  const theirs = report.frames.filter((f) => f.file.startsWith('/'));
  assert.ok(theirs.length > 0);
  theirs.forEach((t, i) => {
    const f = ours[i];
    assert.ok(f, `Node printed frame ${i} ${t.function}, we have no frame there`);
    assert.equal(f.script, t.file, `abort frame ${i}: file`);
    const last = t.function.replace(/^new /, '').split('.').pop()!;
    assert.ok([f.function, f.inferredName].some((n) => n !== undefined && n !== '' && (n === t.function || n.endsWith(last))) || last === '<anonymous>', `abort frame ${i}: ${f.function}/${f.inferredName} vs Node's ${t.function}`);
    if (f.currentLine !== undefined) assert.equal(f.currentLine, t.line, `abort frame ${i} (${t.function}): current line`);
  });
}

for (const major of testedMajors()) {
  describe(`stack on Node ${major} cores`, () => {
    for (const scenario of SCENARIOS) {
      test(scenario, { timeout: TIMEOUT }, async () => {
        const r = await makeCore(major, scenario);
        const s = Session.openCore(r.corePath, { binary: r.binary });
        try {
          const result = stackAnalysis(s);
          // Every thread of the core was alive when the scenario recorded its threads; a helper
          // thread may end before the core is taken (the menagerie's in-process inspector leaves
          // one), but the main thread and every thread whose stack the scenario recorded are there.
          const recorded = new Set(r.manifest.threads.map((t) => t.tid));
          const extra = result.threads.filter((t) => recorded.size > 0 && !recorded.has(t.tid)).map((t) => t.tid);
          assert.deepEqual(extra, [], 'threads the scenario did not record');
          for (const tid of [r.pid, ...r.manifest.stacks.map((x) => x.tid)]) assert.ok(result.threads.some((t) => t.tid === tid), `thread ${tid} is in the core`);
          for (const stack of r.manifest.stacks) {
            checkStack(result.threads.find((t) => t.tid === stack.tid), stack, `${scenario}/${stack.thread}`, r.manifest.hold === 'spin');
          }
          if (scenario === 'uncaught-abort') checkAbortReport(r, result.threads.find((t) => t.tid === r.pid)!);
          for (const t of result.threads) assert.ok(t.frames.length > 0, `thread ${t.tid} has frames`);
        } finally {
          s.close();
        }
      });
    }
  });
}
