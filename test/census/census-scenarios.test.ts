// The heap census on real cores of every tested major, against the scenario's own counts and
// against V8's: the heap-census scenario records v8.writeHeapSnapshot()'s count per constructor
// before it leaves 1,000 garbage instances in the old generation. The default census counts the
// garbage; --reachable must count exactly what V8 counts. refs and path are checked edge by edge.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { makeCore, type CoreResult } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';
import { FileByteSource } from '../../src/io/byte-source.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { PT_LOAD } from '../../src/elf/constants.js';
import { Session } from '../../src/analysis/session.js';

interface Group {
  constructor: string;
  properties: string[];
  count: number;
  bytes: number;
  example: string;
  kind: string;
}
interface Census {
  groups: Group[];
  kinds: { kind: string; count: number; bytes: number }[];
  coverage: { scannedBytes: number; skippedBytes: number; freeBytes: number; unreadableBytes: number; corruptStretches: number; pages: number };
  reachable: boolean;
}

const dir = mkdtempSync(join(tmpdir(), 'nodescope-census-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function json<T>(core: CoreResult, args: readonly string[]): T {
  const r = runCli([...args, '--binary', core.binary, '--json'], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, `nodescope ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

function count(c: Census, constructor: string, properties?: readonly string[]): number {
  return c.groups.filter((g) => g.constructor === constructor && (properties === undefined || g.properties.join() === properties.join())).reduce((a, g) => a + g.count, 0);
}

for (const major of testedMajors()) {
  describe(`census, Node ${major}`, { timeout: 900_000 }, () => {
    let core: CoreResult;
    let all: Census;
    let live: Census;
    let counts: Record<string, number>;
    let v8: Record<string, number>;

    test('the core is made and walked without a gap', async () => {
      core = await makeCore(major, 'heap-census');
      const values = (core.manifest as unknown as { values: { counts: Record<string, number>; v8Counts: Record<string, number> } }).values;
      counts = values.counts;
      v8 = values.v8Counts;
      all = json<Census>(core, ['objects', core.corePath, '--limit', '0']);
      live = json<Census>(core, ['objects', core.corePath, '--limit', '0', '--reachable']);
      for (const c of [all, live]) {
        assert.equal(c.coverage.corruptStretches, 0, 'every page parses from its first object to its last');
        assert.equal(c.coverage.skippedBytes, 0);
        assert.ok(c.coverage.scannedBytes > 1e6 && c.coverage.pages > 10);
      }
      assert.equal(all.reachable, false);
      assert.equal(live.reachable, true);
    });

    test('class instances: every one counted, garbage only in the default census', () => {
      assert.equal(count(all, 'RequestContext', ['id', 'url', 'startedAt', 'tags']), counts.RequestContext! + counts.garbageRequestContext!);
      assert.equal(count(live, 'RequestContext', ['id', 'url', 'startedAt', 'tags']), counts.RequestContext!);
      assert.equal(count(live, 'RequestContext', ['id', 'url', 'startedAt', 'tags']), v8['object:RequestContext'], "V8's own count");
    });

    test('constructor functions, shapes, dictionary-mode objects and tagged arrays by their own names', () => {
      for (const c of [all, live]) {
        assert.equal(count(c, 'Legacy', ['x', 'y']), counts.Legacy);
        assert.equal(count(c, 'Object', ['censusAlpha', 'censusBeta']), counts.shapeA);
        assert.equal(count(c, 'Object', ['censusName', 'censusValue', 'censusExtra']), counts.shapeB);
        assert.equal(count(c, 'Object', ['censusDictA', 'censusDictB', 'censusDictC']), counts.dictionary, 'dictionary-mode objects list their keys in order');
        assert.equal(count(c, 'Array', ['censusTag']), counts.taggedArrays);
      }
      assert.equal(count(live, 'Legacy'), v8['object:Legacy']);
    });

    test("Maps, Sets, Buffers and typed arrays agree with V8's count", () => {
      for (const name of ['TrackedMap', 'TrackedSet', 'Buffer', 'Float64Array']) {
        assert.equal(count(live, name), v8[`object:${name}`], name);
      }
      assert.equal(count(live, 'TrackedMap'), counts.TrackedMap);
      assert.equal(count(live, 'TrackedSet'), counts.TrackedSet);
      assert.ok(count(live, 'Buffer') >= counts.buffers!);
    });

    test('strings of every kind have their own groups', () => {
      assert.ok(count(all, '(concatenated string)') >= counts.consStrings!);
      assert.ok(count(all, '(sliced string)') >= counts.slicedStrings!);
      assert.ok(count(all, '(string)') > counts.twoByteStrings!);
      assert.ok(count(all, '(internalized string)') > 1000);
      const kinds = new Set(all.kinds.map((k) => k.kind));
      for (const k of ['object', 'array', 'closure', 'string', 'code', 'map', 'context']) assert.ok(kinds.has(k), k);
      // Totals by kind add up to the groups.
      assert.equal(all.kinds.reduce((a, k) => a + k.count, 0), all.groups.reduce((a, g) => a + g.count, 0));
    });

    test('functions: closures per function, as V8 counts them', () => {
      const f = json<{ functions: { name: string; script: string; line: number; count: number; example: string }[] }>(core, ['functions', core.corePath, '--name', 'countHit', '--reachable']);
      assert.equal(f.functions.length, 1);
      assert.equal(f.functions[0]!.count, counts.countHit);
      assert.equal(f.functions[0]!.count, v8['closure:countHit']);
      assert.match(f.functions[0]!.script, /heap-census\.js$/);
    });

    test('instances and refs: an instance is held by its array at its index; its url by it', () => {
      const inst = json<{ constructor: string; total: number; instances: { address: string; value: { properties?: { key: string; value: { text?: string; value?: number; preview?: string } }[] } }[] }>(core, [
        'instances',
        core.corePath,
        'RequestContext',
        '--reachable',
        '--limit',
        '1',
        '--offset',
        '77',
        '--print',
      ]);
      assert.equal(inst.total, counts.RequestContext);
      const first = inst.instances[0]!;
      const refs = json<{ target: string; refs: { holder: string; holderKind: string; edge: { kind: string; name: string | number } }[] }>(core, ['refs', core.corePath, first.address]);
      assert.equal(refs.target, first.address);
      assert.equal(refs.refs.length, 1);
      assert.equal(refs.refs[0]!.holderKind, 'Array');
      assert.equal(refs.refs[0]!.edge.kind, 'element');
      const id = idOf(core, first.address);
      assert.equal(refs.refs[0]!.edge.name, id, 'contexts[i] holds the instance with id i');
      const url = urlOf(core, first.address);
      const urlRefs = json<{ refs: { holder: string; holderKind: string; edge: { kind: string; name: string } }[] }>(core, ['refs', core.corePath, url]);
      assert.deepEqual(urlRefs.refs.map((r) => [r.holder, r.holderKind, r.edge.kind, r.edge.name]), [[first.address, 'RequestContext', 'property', 'url']]);
    });

    test('path: from a root through the module context to the instance, edge by edge', () => {
      const inst = json<{ instances: { address: string }[] }>(core, ['instances', core.corePath, 'RequestContext', '--reachable', '--limit', '1', '--offset', '5']);
      const addr = inst.instances[0]!.address;
      const p = json<{ root: { kind: string; name: string }; path: { address: string; description: string; edge: { kind: string; name: string | number } }[]; reachable: boolean }>(core, ['path', core.corePath, addr]);
      assert.equal(p.reachable, true);
      assert.ok(['stack', 'isolate', 'global handle', 'register'].includes(p.root.kind), p.root.kind);
      const tail = p.path.slice(-3).map((s) => [s.description, s.edge.kind, s.edge.name]);
      assert.deepEqual(tail, [
        ['Object', 'context', 'keep'],
        ['Array', 'property', 'contexts'],
        ['RequestContext', 'element', idOf(core, addr)],
      ]);
      assert.equal(p.path.at(-1)!.address, addr);
    });

    test('path and refs of a garbage instance say it is garbage', () => {
      type Printed = { instances: { address: string; value: { properties: { name: string; value: { value: unknown } }[] } }[] };
      const listed = json<Printed>(core, ['instances', core.corePath, 'RequestContext', '--limit', '0', '--print']).instances;
      const garbage = listed.filter((x) => Number(x.value.properties.find((p) => p.name === 'id')?.value.value) >= 1e6);
      assert.equal(garbage.length, counts.garbageRequestContext, 'the default census lists the garbage instances');
      const p = json<{ reachable: boolean; path: unknown[] }>(core, ['path', core.corePath, garbage[0]!.address]);
      assert.equal(p.reachable, false);
      assert.deepEqual(p.path, []);
      const refs = json<{ refs: { unreachable?: boolean }[] }>(core, ['refs', core.corePath, garbage[0]!.address]);
      assert.ok(refs.refs.every((r) => r.unreachable === true), 'whatever holds garbage is garbage too');
    });

    test('objects --diff: growth per group between two cores', async () => {
      const other = await makeCore(major, 'closures');
      const r = runCli(['objects', '--diff', other.corePath, core.corePath, '--binary', core.binary, '--json', '--limit', '0'], { timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stderr);
      const d = JSON.parse(r.stdout) as { groups: { constructor: string; properties: string[]; before: { count: number }; after: { count: number }; countDelta: number }[] };
      const rc = d.groups.find((g) => g.constructor === 'RequestContext' && g.properties.length === 4)!;
      assert.deepEqual([rc.before.count, rc.after.count, rc.countDelta], [0, counts.RequestContext! + counts.garbageRequestContext!, counts.RequestContext! + counts.garbageRequestContext!]);
      assert.equal(d.groups[0]!.countDelta >= d.groups[1]!.countDelta, true, 'largest growth first');
    });

    test('a truncated core: the census reports what it read and what it could not', () => {
      const cut = join(dir, `cut-${major}.core`);
      // Cut the file at a RequestContext, in the middle of its page. From V8 13 a page is known
      // by its off-page metadata, which may lie at a higher address (a later segment) and then
      // goes with the cut: take the highest instance whose page's metadata is kept.
      const kept = keptInstance(core);
      if (kept === undefined) {
        // Every page's metadata lies above the heap (V8 13+): a cut anywhere in the heap loses
        // them all, and the census must say so in one line, exit 2 (a known limit, not a guess).
        const first = Number.parseInt(all.groups.find((g) => g.constructor === 'RequestContext')!.example, 16);
        const s0 = new FileByteSource(core.corePath);
        const seg0 = ElfFile.open(s0).programHeaders.find((p) => p.type === PT_LOAD && p.vaddr <= first && first < p.vaddr + p.filesz)!;
        s0.close();
        const head = Buffer.alloc(seg0.offset + (first - seg0.vaddr));
        const fd0 = openSync(core.corePath, 'r');
        readSync(fd0, head, 0, head.length, 0);
        closeSync(fd0);
        writeFileSync(cut, head);
        const r0 = runCli(['objects', cut, '--binary', core.binary, '--json'], { timeoutMs: 300_000 });
        assert.match(r0.stderr, /warning: .*is truncated/);
        if (r0.code === 0) assert.ok(count(JSON.parse(r0.stdout) as Census, 'RequestContext') < count(all, 'RequestContext'));
        else {
          assert.equal(r0.code, 2, r0.stderr);
          assert.match(r0.stderr, /^nodescope: TARGET_ERROR: no V8 heap pages found/m);
        }
        rmSync(cut, { force: true });
        return;
      }
      const example = kept;
      const src = new FileByteSource(core.corePath);
      const seg = ElfFile.open(src).programHeaders.find((p) => p.type === PT_LOAD && p.vaddr <= example && example < p.vaddr + p.filesz)!;
      src.close();
      const buf = Buffer.alloc(seg.offset + (example - seg.vaddr));
      const fd = openSync(core.corePath, 'r');
      readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      writeFileSync(cut, buf);
      const r = runCli(['objects', cut, '--binary', core.binary, '--json'], { timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: .*is truncated/);
      const c = JSON.parse(r.stdout) as Census;
      assert.ok(c.coverage.unreadableBytes > 0, 'memory past the cut is reported');
      assert.ok(c.coverage.scannedBytes < all.coverage.scannedBytes);
      assert.ok(c.coverage.skippedBytes > 0, "the cut page's unread tail is counted as skipped");
      assert.ok(count(c, 'RequestContext') < count(all, 'RequestContext'));
      rmSync(cut, { force: true });
    });
  });
}

/** The highest-addressed RequestContext whose page record (V8 13+: the off-page metadata) lies below it. */
function keptInstance(core: CoreResult): number | undefined {
  const listed = json<{ instances: { address: string }[] }>(core, ['instances', core.corePath, 'RequestContext', '--limit', '0']).instances.map((i) => Number.parseInt(i.address, 16));
  const session = Session.openCore(core.corePath, { binary: core.binary });
  try {
    const heap = session.heap();
    const pageSize = heap.layout.opt.Page_size ?? 0x40000;
    const metaAt = heap.layout.opt.MemoryChunk_metadata;
    const recordOf = (a: number): number => {
      const page = a - (a % pageSize);
      return metaAt === undefined ? page : (heap.pointer(page + metaAt) ?? Infinity);
    };
    return listed.sort((a, b) => b - a).find((a) => recordOf(a) < a);
  } finally {
    session.close();
  }
}

/** The `id` of the RequestContext at `address`, read with `print`. */
function idOf(core: CoreResult, address: string): number {
  const r = runCli(['print', core.corePath, address, 'id', '--binary', core.binary], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.trim());
}

/** The address of the `url` string of the RequestContext at `address`. */
function urlOf(core: CoreResult, address: string): string {
  const r = runCli(['print', core.corePath, address, 'url', '--binary', core.binary, '--json'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout) as { address?: string };
  assert.ok(v.address, `print --json of a string gives its address: ${r.stdout}`);
  return v.address;
}
