// Every thread's native unwind of a real Node core, compared with gdb's `thread apply all bt` on
// the same core: same pcs and same function names frame by frame, as far as gdb gets (gdb stops
// at the first JIT frame; we must go on through V8's rbp chain to the thread's first frame).
// Skips when gdb is absent. Cores come from the shared harness (made once, cached).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCore } from '../../src/target/core/core-target.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { FileByteSource } from '../../src/io/byte-source.js';
import { NT_FILE } from '../../src/elf/constants.js';
import { parseNtFile } from '../../src/elf/core-notes.js';
import type { Mapping } from '../../src/target/address-space.js';
import { Symbolizer } from '../../src/native/symbolizer.js';
import { unwindThread, type NativeFrame } from '../../src/native/unwinder.js';
import { rmSync } from 'node:fs';
import { makeCore } from '../harness/make-core.js';
import { makeThreadpoolCore } from './make-threadpool-core.js';
import { findNodeBinary } from './node-binary.js';
import { testedMajors } from '../harness/node-binaries.js';
import { gdbBacktraces, hasGdb, parseBacktraces, type GdbFrame } from './gdb-backtrace.js';

const gdb = hasGdb();

test('the gdb backtrace parser folds inline frames into their physical frame', () => {
  const text = [
    'Thread 7 (Thread 0x7f164846d6c0 (LWP 14422)):',
    '#0  0x00007f1647fc3f16 in ?? () from /lib/x86_64-linux-gnu/libc.so.6',
    '#1  0x0000000001d4704a in uv__sem_wait (...) at ../deps/uv/src/unix/thread.c:660',
    '#2  uv_sem_wait (...) at ../deps/uv/src/unix/thread.c:716',
    '#3  0x000000000116c095 in node::inspector::(anonymous namespace)::StartIoThreadMain(void*) ()',
  ].join('\n');
  const t = parseBacktraces(text).get(14422)!;
  assert.equal(t.length, 3);
  assert.deepEqual(t[0], { pc: 0x7f1647fc3f16, names: ['??'], from: '/lib/x86_64-linux-gnu/libc.so.6' });
  assert.deepEqual(t[1]!.names, ['uv__sem_wait', 'uv_sem_wait']);
  assert.equal(t[2]!.names[0], 'node::inspector::(anonymous namespace)::StartIoThreadMain(void*)');
});

/** NT_FILE mappings of a core, for pcs in files mapped twice (remapped builtins). TODO(#2): drop once the core target's mappings() lists them. */
function ntFileMappings(corePath: string): Mapping[] {
  const src = new FileByteSource(corePath);
  try {
    const note = ElfFile.open(src).notes().find((n) => n.name === 'CORE' && n.type === NT_FILE);
    if (!note) return [];
    return parseNtFile(note.desc, corePath).map((f) => ({ start: f.start, end: f.end, readable: true, writable: false, executable: false, path: f.path, fileOffset: f.fileOffset }));
  } finally {
    src.close();
  }
}

function sameName(ours: string[], theirs: string): boolean {
  const norm = (s: string): string => s.replace(/\s+/g, ' ').replace(/> >/g, '>>').trim();
  const t = norm(theirs);
  return ours.some((o) => norm(o) === t || t.endsWith(' ' + norm(o)));
}

for (const major of testedMajors()) {
  test(`native unwind of every thread matches gdb (Node ${major})`, { skip: !gdb && 'gdb not installed', timeout: 900_000 }, async () => {
    const made = await makeCore(major, 'worker-thread');
    compareCore(made.corePath, made.binary, `Node ${major} worker-thread`, true);
  });
}

test('native unwind of libuv threadpool threads matches gdb', { skip: !gdb && 'gdb not installed', timeout: 600_000 }, async () => {
  const binary = findNodeBinary(22);
  const made = await makeThreadpoolCore(binary);
  try {
    const threads = compareCore(made.core, binary, 'threadpool', false);
    assert.ok(threads.filter((t) => t.includes('worker')).length >= 4, `4 libuv workers: ${threads.join(', ')}`);
  } finally {
    rmSync(made.dir, { recursive: true, force: true });
  }
});

/** Unwinds every thread of a core and compares with gdb; returns per-thread symbol summaries. */
function compareCore(corePath: string, binary: string, what: string, jsOnMain: boolean): string[] {
    const target = openCore(corePath, { binary });
    const symbolizer = new Symbolizer(target, { binary, fileMappings: ntFileMappings(corePath) });
    const summaries: string[] = [];
    try {
      const theirs = gdbBacktraces(binary, corePath);
      assert.equal(theirs.size, target.threads.length, 'gdb and we see the same threads');
      const report: string[] = [];
      for (const thread of target.threads) {
        const stack = unwindThread(target, thread, { symbolizer });
        const g = theirs.get(thread.tid);
        assert.ok(g, `gdb has thread ${thread.tid}`);
        const compared = compareThread(stack.frames, g, symbolizer, `thread ${thread.tid}`);
        report.push(`${thread.tid}${thread.name ? ` (${thread.name})` : ''}: ${stack.frames.length} frames (${stack.stop}), gdb ${g.length}, ${compared} compared`);
        summaries.push(stack.frames.map((f) => symbolizer.symbolize(f.pc, f.lookupPc)?.symbol ?? '?').join(' < '));
        assert.equal(stack.stop, 'end-of-stack', `thread ${thread.tid} walks to its first frame, not ${stack.stop} ${stack.stopDetail ?? ''}`);
        const outermost = stack.frames[stack.frames.length - 1]!;
        const first = symbolizer.symbolize(outermost.pc, outermost.lookupPc)?.symbol;
        if (thread.name === 'main') {
          assert.equal(first, '_start', 'the main thread starts in _start');
          const names = stack.frames.map((f) => symbolizer.symbolize(f.pc, f.lookupPc)?.demangled ?? '');
          assert.ok(names.includes('node::Start(int, char**)'), 'node::Start is on the main stack');
          if (jsOnMain) assert.ok(names.includes('Builtins_JSEntry'), 'the JS entry builtin (remapped or not) is symbolized');
          if (jsOnMain) assert.ok(stack.frames.some((f) => f.method === 'fp'), 'JS frames were walked by frame pointer');
        }
        // Threads whose stack is all native: gdb gets to the end too, and we have the same count.
        if (g.every((f) => f.names[0] !== '??' || f.from !== undefined)) assert.equal(stack.frames.length, g.length, `thread ${thread.tid} frame count`);
      }
      process.stdout.write(`# ${what} core:\n#   ${report.join('\n#   ')}\n`);
    } finally {
      symbolizer.close();
      target.close();
    }
    return summaries;
}

/** Compares frame by frame up to gdb's first frame in code without CFI (JIT, builtins); returns how many. */
function compareThread(ours: NativeFrame[], theirs: GdbFrame[], symbolizer: Symbolizer, what: string): number {
  let i = 0;
  for (; i < theirs.length; i++) {
    const g = theirs[i]!;
    const o = ours[i];
    assert.ok(o, `${what}: we have no frame #${i}, gdb has 0x${g.pc.toString(16)} ${g.names.join(' / ')}`);
    if (!Number.isNaN(g.pc)) assert.equal(o.pc.toString(16), g.pc.toString(16), `${what} frame #${i} pc`);
    const gname = g.names[g.names.length - 1]!;
    if (gname !== '??') {
      const s = symbolizer.symbolize(o.pc, o.lookupPc);
      assert.ok(s, `${what} frame #${i}: gdb names ${gname}, we have no symbol`);
      const where = symbolizer.resolve(o.lookupPc)!;
      const aliases = where.image.symbols()?.namesAt(where.vaddr - (o.lookupPc - s.address)) ?? [];
      const names = [s.symbol, s.demangled, ...aliases, ...aliases.map((a) => symbolizer.demangler.demangle(a))];
      assert.ok(sameName(names, gname), `${what} frame #${i}: gdb ${gname}, ours ${s.demangled}`);
    } else if (g.from === undefined) {
      return i + 1; // gdb's first frame in JIT code: its pc matched; gdb's frames past it are guesses.
    }
    // Code without CFI (V8 builtins): we follow rbp, gdb guesses from the stack; stop comparing.
    if (ours[i + 1]?.method === 'fp') return i + 1;
  }
  return i;
}
