// Scenario tier for the V8 model: on cores of every tested Node major, the JS frames that the
// native unwinder plus classifyV8Frame find must match what each scenario wrote into its manifest
// (names, inferred names, scripts, definition lines, parameter and argument counts, previews).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FileByteSource } from '../../src/io/byte-source.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { openCore } from '../../src/target/core/core-target.js';
import { Symbolizer } from '../../src/native/symbolizer.js';
import { unwindThread } from '../../src/native/unwinder.js';
import { loadV8Layout } from '../../src/v8/layout/v8-layout.js';
import { loadBytecodeSizes } from '../../src/v8/layout/bytecode-sizes.js';
import { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { BuiltinRanges, remappedBuiltinAliases } from '../../src/v8/frames/builtin-ranges.js';
import { classifyV8Frame, type V8Frame } from '../../src/v8/frames/v8-frame.js';
import { makeCore } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import type { ManifestFrame } from '../harness/manifest.js';

const TEST_TIMEOUT_MS = 300_000;
const SCENARIOS = ['sync-chain', 'class-methods', 'arrow-functions', 'closures', 'constructor-call', 'spin-loop', 'async-await', 'worker-thread'];

/** JS frames of every thread of a core, innermost first, by tid. */
function jsFrames(corePath: string, binary: string): Map<number, V8Frame[]> {
  const target = openCore(corePath, { binary });
  const source = new FileByteSource(binary);
  try {
    const elf = ElfFile.open(source);
    const layout = loadV8Layout(elf, target.space, 0, { binaryName: binary });
    const heap = new V8Heap(target.space, layout);
    const aliases = remappedBuiltinAliases(target.space.mappings(), target.executablePath, elf.programHeaders, 0);
    const ctx = { heap, builtins: new BuiltinRanges(elf.symbols(), 0, aliases), positionTables: new Map(), bytecodeSizes: loadBytecodeSizes(elf) };
    const symbolizer = new Symbolizer(target, { binary });
    const out = new Map<number, V8Frame[]>();
    for (const thread of target.threads) {
      const stack = unwindThread(target, thread, { symbolizer, maxFrames: 2000, symbolize: false });
      const frames: V8Frame[] = [];
      for (const nf of stack.frames) {
        if (nf.fp === undefined) continue;
        const f = classifyV8Frame(ctx, nf.fp, nf.pc);
        if (f.kind === 'js' && !frames.some((g) => g.fp === f.fp)) frames.push(f);
      }
      out.set(thread.tid, frames);
    }
    symbolizer.close();
    return out;
  } finally {
    source.close();
    target.close();
  }
}

function describeFrame(f: V8Frame): string {
  const fn = f.function;
  return `${fn?.name || fn?.inferredName || '(anonymous)'} ${fn?.scriptName}:${fn?.line}:${fn?.column} formal=${fn?.formalParameterCount} argc=${f.argc} tier=${f.tier} cur=${f.currentLine}`;
}

/** Checks one found frame against the manifest's frame. */
function checkFrame(found: V8Frame, want: ManifestFrame, where: string): void {
  const fn = found.function;
  assert.ok(fn, `${where}: function info`);
  assert.equal(fn.name, want.name, `${where}: name`);
  if (want.inferredName !== undefined && fn.inferredName !== undefined) assert.equal(fn.inferredName, want.inferredName, `${where}: inferred name`);
  assert.equal(fn.scriptName, want.script, `${where}: script`);
  // A class constructor's SharedFunctionInfo starts at its `constructor` method (V8 keeps the
  // class's own range in ClassPositions), where the manifest's toString position is the class.
  // So for a class constructor the line must lie inside the class, before the current line.
  const ctorMethod = want.isConstruct === true && want.line !== undefined && fn.line !== undefined && fn.line >= want.line &&
    (want.currentLine === undefined || fn.line <= want.currentLine);
  if (want.line !== undefined && !ctorMethod) assert.equal(fn.line, want.line, `${where}: definition line`);
  if (want.column !== undefined && !ctorMethod) assert.equal(fn.column, want.column, `${where}: definition column`);
  assert.equal(fn.formalParameterCount ?? 0, want.formalCount, `${where}: formal parameter count`);
  if (found.argc !== undefined) assert.equal(found.argc, want.argc, `${where}: argc`);
  assert.ok((found.args?.length ?? 0) >= want.argc, `${where}: all passed arguments shown`);
  for (let i = 0; i < want.args.length && i < (found.args?.length ?? 0); i++) {
    const a = found.args![i]!;
    const w = want.args[i]!;
    if (w.type === 'number') assert.equal(Number(a.preview), Number(w.inspect), `${where}: arg ${i}`);
    if (w.type === 'string') assert.equal(a.type, 'string', `${where}: arg ${i} type`);
    if (w.type === 'object' && w.constructor === 'Array' && w.json !== undefined) {
      const items = JSON.parse(w.json) as unknown[];
      const simple = items.slice(0, 6).every((x) => typeof x === 'number');
      const want = simple ? `Array(${items.length}) [${items.slice(0, 6).join(', ')}${items.length > 6 ? ', …' : ''}]` : `Array(${items.length})`;
      assert.ok(a.preview.startsWith(want), `${where}: arg ${i} array preview ${a.preview}, want ${want}`);
    }
    // worker-thread describes its Worker argument by a stand-in `{threadId}` object.
    const standIn = want.name === 'waitForWorker' && i === 0;
    if (w.type === 'object' && w.constructor !== undefined && a.constructorName !== undefined && !standIn) {
      assert.equal(a.constructorName, w.constructor, `${where}: arg ${i} constructor`);
    }
  }
  if (want.currentLine !== undefined && found.currentLine !== undefined && (found.tier === 'interpreted' || found.tier === 'baseline')) {
    assert.equal(found.currentLine, want.currentLine, `${where}: current line`);
  }
}

for (const major of testedMajors()) {
  describe(`V8 frames on Node ${major}`, () => {
    test('uncaught-abort: current lines and columns equal the stack Node printed before aborting', { timeout: TEST_TIMEOUT_MS }, async () => {
      const core = await makeCore(major, 'uncaught-abort');
      const report = core.abortReport;
      assert.ok(report !== undefined && report.frames.length >= 4, 'Node printed its stack');
      const frames = jsFrames(core.corePath, core.binary).get(core.manifest.pid) ?? [];
      for (let i = 0; i < 4; i++) {
        const want: { function: string; file: string; line: number; column: number } = report.frames[i]!;
        const f = frames[i];
        assert.ok(f !== undefined, `frame ${i}`);
        assert.equal(f.function?.name, want.function.split('.').pop(), `frame ${i} name`);
        assert.equal(f.function?.scriptName, want.file, `frame ${i} script`);
        assert.equal(f.currentLine, want.line, `frame ${i} (${want.function}) current line`);
        assert.equal(f.currentColumn, want.column, `frame ${i} (${want.function}) current column`);
      }
    });

    for (const scenario of SCENARIOS) {
      test(scenario, { timeout: TEST_TIMEOUT_MS }, async () => {
        const core = await makeCore(major, scenario);
        const byTid = jsFrames(core.corePath, core.binary);
        for (const stack of core.manifest.stacks) {
          const found = byTid.get(stack.tid) ?? [];
          const userFrames = found.filter((f) => f.function?.scriptName === stack.frames[0]?.script || stack.frames.some((m) => m.script === f.function?.scriptName));
          const want = stack.frames.filter((m) => !m.afterAwait);
          assert.ok(userFrames.length >= want.length, `${scenario} ${stack.thread}: found ${userFrames.map(describeFrame).join(' | ')}`);
          for (let i = 0; i < want.length; i++) {
            checkFrame(userFrames[i]!, want[i]!, `Node ${major} ${scenario} ${stack.thread} frame ${i} (${describeFrame(userFrames[i]!)})`);
          }
        }
      });
    }
  });
}
