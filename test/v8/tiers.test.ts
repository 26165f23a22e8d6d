// Scenario tier for execution tiers: a function forced to TurboFan (and Maglev where the major
// runs it) is on the stack below a spinning callee; the frame model must name the tier. Cores
// are made here with gcore (the fixture needs --allow-natives-syntax, which test/scenarios avoid).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { walkFramePointers } from './fp-walk.js';

const FIXTURE = fileURLToPath(new URL('../../../test/v8/fixtures/tiers.cjs', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const GCORE_TIMEOUT_MS = 120_000;

/** Runs the fixture, waits for READY (hard timeout), writes a core with gcore, kills the process. */
async function makeTierCore(node: string, flags: string[], tier: string, dir: string): Promise<string> {
  const child = spawn(node, ['--allow-natives-syntax', ...flags, FIXTURE, tier], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no READY line')), READY_TIMEOUT_MS);
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`fixture exited (${code})`));
      });
    });
    writeFileSync(`/proc/${child.pid}/coredump_filter`, '0x33');
    const prefix = join(dir, 'core');
    execFileSync('gcore', ['-o', prefix, String(child.pid)], { timeout: GCORE_TIMEOUT_MS, stdio: 'ignore' });
    return `${prefix}.${child.pid}`;
  } finally {
    child.kill('SIGKILL');
  }
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

function gcoreAvailable(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v gcore'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

const canRun = gcoreAvailable();

for (const major of testedMajors()) {
  describe(`execution tiers on Node ${major}`, { skip: !canRun }, () => {
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
          // Node 20's metadata has no Code layout: its optimized frames are just 'optimized'.
          const want = major === 20 ? 'optimized' : run.tier;
          assert.equal(frames[1]!.tier, want);
          assert.equal(frames[1]!.function?.formalParameterCount, 2);
          assert.equal(frames[1]!.argc, 2);
          assert.equal(frames[1]!.args?.[1]?.preview, '0');
          // `return spin(o) + o.a;` from the optimized code's position table (V8 ≥ 12 Code layout).
          if (major >= 22) assert.equal(frames[1]!.currentLine, 13);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
