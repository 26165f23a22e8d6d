// Scenario tier for execution tiers: a function forced to TurboFan (and Maglev where the major
// runs it) is on the stack below a spinning callee; the frame model must name the tier. Cores
// are made here with gcore (the fixture needs --allow-natives-syntax, which test/scenarios avoid).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { FileByteSource } from '../../src/io/byte-source.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { openCore } from '../../src/target/core/core-target.js';
import { loadV8Layout } from '../../src/v8/layout/v8-layout.js';
import { loadBytecodeSizes } from '../../src/v8/layout/bytecode-sizes.js';
import { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { BuiltinRanges, remappedBuiltinAliases } from '../../src/v8/frames/builtin-ranges.js';
import { classifyV8Frame, type V8Frame } from '../../src/v8/frames/v8-frame.js';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { gcoreAvailable, makeFixtureCore } from './fixture-core.js';
import { walkFramePointers } from './fp-walk.js';

const FIXTURE = fileURLToPath(new URL('../../../test/v8/fixtures/tiers.cjs', import.meta.url));

/** Runs the fixture for `tier` and writes its core into `dir`. */
async function makeTierCore(node: string, flags: string[], tier: string, dir: string): Promise<string> {
  return (await makeFixtureCore(node, ['--allow-natives-syntax', ...flags, FIXTURE, tier], dir)).corePath;
}

/** The JS frames of the main thread, by frame pointers (JS frames and the builtins keep rbp). */
function mainThreadJsFrames(corePath: string, binary: string): V8Frame[] {
  const target = openCore(corePath, { binary });
  const source = new FileByteSource(binary);
  try {
    const elf = ElfFile.open(source);
    const heap = new V8Heap(target.space, loadV8Layout(elf, target.space, 0, { binaryName: binary }));
    const aliases = remappedBuiltinAliases(target.space.mappings(), target.executablePath, elf.programHeaders, 0);
    const ctx = { heap, builtins: new BuiltinRanges(elf.symbols(), 0, aliases), bytecodeSizes: loadBytecodeSizes(elf), positionTables: new Map() };
    const t = target.threads[0]!;
    return [...walkFramePointers(target.space, t.regs.rbp, t.regs.rip, 64)]
      .map(({ fp, pc }) => classifyV8Frame(ctx, fp, pc))
      .filter((f) => f.kind === 'js');
  } finally {
    source.close();
    target.close();
  }
}

const canRun = gcoreAvailable();

for (const major of testedMajors()) {
  describe(`execution tiers on Node ${major}`, { skip: !canRun && 'gdb (gcore) is not installed; npm test installs it' }, () => {
    const runs: { tier: 'turbofan' | 'maglev'; flags: string[] }[] = [{ tier: 'turbofan', flags: [] }];
    if (major >= 24) runs.push({ tier: 'maglev', flags: [] });
    for (const run of runs) {
      test(run.tier, { timeout: 300_000 }, async () => {
        const node = await nodeBinary(major);
        const dir = mkdtempSync(join(tmpdir(), 'nodescope-tiers-'));
        try {
          const core = await makeTierCore(node.path, run.flags, run.tier, dir);
          const frames = mainThreadJsFrames(core, node.path);
          const names = frames.map((f) => f.function?.name);
          assert.deepEqual(names.slice(0, 2), ['spin', 'hot'], `frames: ${names.join(', ')}`);
          assert.ok(['interpreted', 'baseline'].includes(frames[0]!.tier!), `spin runs unoptimized, got ${frames[0]!.tier}`);
          // Node 20's Code layout comes from documented fallbacks (V8 11.3 src/objects/code.h).
          assert.equal(frames[1]!.tier, run.tier);
          assert.equal(frames[1]!.function?.formalParameterCount, 2);
          assert.equal(frames[1]!.argc, 2);
          assert.equal(frames[1]!.args?.[1]?.preview, '0');
          // `return spin(o) + o.a;` from the optimized code's position table (Node 20 by fallbacks).
          if (major >= 20) assert.equal(frames[1]!.currentLine, 13);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
