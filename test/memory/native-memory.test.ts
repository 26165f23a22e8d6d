// The native-memory scenario on every tested major: an N-API addon built with gcc leaks 37
// marked malloc blocks and keeps 11 reachable ones of the same size; `leaks` must report exactly
// the leaked addresses, each with its marker in the preview, and none of the kept ones. `stacks`
// must show the 16-thread libuv pool as one group.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeCore, type CoreResult } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';
import { Session } from '../../src/analysis/session.js';
import { findMainArena } from '../../src/native/glibc/main-arena-scan.js';
import { MallocHeapModel } from '../../src/native/glibc/malloc-heap-model.js';
import { factsLayout } from '../../src/native/glibc/malloc-facts.js';

interface Values {
  pool: number;
  block: number;
  leaked: string[];
  kept: string[];
  buffers: { count: number; bytes: number };
  uint8: { count: number; bytes: number };
  external: number;
}
interface Leaks {
  leaks: { size: number; count: number; bytes: number; preview: string; examples: string[] }[];
  scanned: { chunks: number; bytes: number };
  blocks: { address: string; size: number; preview: string }[];
}
interface Memory {
  total: number;
  categories: { name: string; bytes: number }[];
  v8: { spaces: { name: string; committed: number; used: number }[] };
  external: { bytes: number; holders: { constructor: string; count: number; bytes: number }[]; top: { address: string; constructor: string; bytes: number }[] };
  malloc: { inUse: number; free: number; arenas: { main: boolean }[] };
}
interface Stacks {
  groups: { count: number; threads: { tid: number; name: string }[]; frames: { symbol?: string }[] }[];
}

function json<T>(core: CoreResult, args: readonly string[]): T {
  const r = runCli([...args, '--binary', core.binary, '--json'], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, `nodescope ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

for (const major of testedMajors()) {
  describe(`native memory, Node ${major}`, { timeout: 900_000 }, () => {
    let core: CoreResult;
    let values: Values;

    test('leaks finds exactly the leaked blocks, with their marker, and no reachable one', async () => {
      core = await makeCore(major, 'native-memory');
      values = (core.manifest as unknown as { values: Values }).values;
      const r = json<Leaks>(core, ['leaks', core.corePath, '--verbose']);
      const marked = r.blocks.filter((b) => b.preview.includes('NODESCOPE_'));
      assert.deepEqual(marked.map((b) => b.address).sort(), [...values.leaked].sort(), 'the leaked blocks, no more, no fewer');
      for (const b of marked) {
        assert.match(b.preview, /^"NODESCOPE_LEAK_\d{4}"$/);
        assert.ok(b.size >= values.block && b.size < values.block + 16, `usable size ${b.size} of a ${values.block}-byte malloc`);
      }
      const reported = new Set(r.blocks.map((b) => b.address));
      for (const k of values.kept) assert.ok(!reported.has(k), `kept block ${k} is reachable from the addon's static array`);
      const group = r.leaks.find((g) => g.size === marked[0]!.size)!;
      assert.ok(group.count >= values.leaked.length && group.bytes === group.count * group.size);
      assert.ok(r.scanned.chunks > values.leaked.length + values.kept.length);
    });

    test('memory adds up to the total and attributes the Buffer and Uint8Array bytes to their constructors', () => {
      const r = json<Memory>(core, ['memory', core.corePath, '--top', '200']);
      assert.equal(r.categories.reduce((a, c) => a + c.bytes, 0), r.total, 'categories add up to the mapped total');
      const cat = (prefix: string): number => r.categories.find((c) => c.name.startsWith(prefix))!.bytes;
      assert.equal(cat('V8 heap'), r.v8.spaces.reduce((a, s) => a + s.committed, 0), 'the V8 heap category is its spaces');
      // Code space holds only JIT code (builtins are embedded): it may be empty when the core is
      // taken before V8 compiled anything, as a fresh Node 24 core on CI showed.
      for (const s of r.v8.spaces) assert.ok(s.used <= s.committed && (s.used > 0 || s.name === 'code'), `${s.name}: used ${s.used} ≤ committed ${s.committed}, and not empty`);
      const held = (ctor: string, bytes: number): number => r.external.top.filter((h) => h.constructor === ctor && h.bytes === bytes).length;
      assert.equal(held('Buffer', values.buffers.bytes), values.buffers.count, `${values.buffers.count} Buffers of ${values.buffers.bytes} bytes`);
      assert.equal(held('Uint8Array', values.uint8.bytes), values.uint8.count, `${values.uint8.count} Uint8Arrays of ${values.uint8.bytes} bytes`);
      assert.equal(held('(external string)', values.external), 1, `the ${values.external}-character external string`);
      const buffers = r.external.holders.find((h) => h.constructor === 'Buffer')!;
      assert.ok(buffers.bytes >= values.buffers.count * values.buffers.bytes && buffers.count >= values.buffers.count);
      const scenarioBytes = values.buffers.count * values.buffers.bytes + values.uint8.count * values.uint8.bytes + values.external;
      assert.ok(cat('external') >= scenarioBytes, 'the backing stores are counted as external, out of the malloc heap');
      assert.ok(r.malloc.inUse >= scenarioBytes && r.malloc.arenas.filter((a) => a.main).length === 1);
      // A holder's address is a heap object that print can follow.
      const first = r.external.top.find((h) => h.constructor === 'Buffer')!;
      const p = runCli(['print', core.corePath, first.address, '--binary', core.binary], { timeoutMs: 120_000 });
      assert.equal(p.code, 0, p.stderr);
      assert.match(p.stdout, /Buffer|Uint8Array/);
    });

    test('without the debug file, main_arena is found by its self-linked bins and the walk is the same', (t) => {
      const s = Session.openCore(core.corePath, { binary: core.binary });
      try {
        const g = s.glibc();
        if (g.mainArena === undefined) return t.skip('libc6-dbg is not installed: nothing to compare with');
        const libcMaps = s.target.space.mappings().filter((m) => m.path === g.path);
        assert.equal(findMainArena(s.target.space, libcMaps), g.mainArena);
        const { mainArena, debugFile, ...rest } = g;
        void mainArena;
        void debugFile;
        const bare = MallocHeapModel.build(s.target.space, { ...rest, layout: factsLayout(g.versionParts) }, libcMaps);
        const full = s.mallocHeap();
        assert.equal(bare.count, full.count);
        assert.deepEqual(bare.arenas, full.arenas);
        assert.deepEqual([...bare.state], [...full.state]);
      } finally {
        s.close();
      }
    });

    test('stacks shows the libuv pool as one group of its size', () => {
      const r = json<Stacks>(core, ['stacks', core.corePath]);
      const pool = r.groups.filter((g) => g.frames.some((f) => f.symbol === 'uv_cond_wait') && g.frames.some((f) => /^worker$|uv__thread_start|worker\(/.test(f.symbol ?? '')));
      assert.equal(pool.length, 1, `one pool group: ${JSON.stringify(r.groups.map((g) => [g.count, g.frames.map((f) => f.symbol)]))}`);
      assert.equal(pool[0]!.count, values.pool);
      assert.equal(new Set(pool[0]!.threads.map((t) => t.tid)).size, values.pool);
      const filtered = json<Stacks>(core, ['stacks', core.corePath, '--function', 'uv_cond_wait']);
      assert.ok(filtered.groups.every((g) => g.frames.some((f) => f.symbol === 'uv_cond_wait')));
    });
  });
}
