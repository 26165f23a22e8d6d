// A JsFrameResolver that names JS frames the way DTrace's V8 ustack helper did: the JSFunction
// slot copied from the frame at sample time (fp − 16) → SharedFunctionInfo → name and Script,
// read from the live heap through /proc/PID/mem with the V8 layout from the binary's metadata.
// Resolution happens after perf stops, so a function moved by a compacting GC since the sample
// may fail validation; such frames stay [JIT]/[interpreted]. Names are cached by address.
import { readlinkSync } from 'node:fs';
import type { JsResolverFactory } from './js-frame-resolver.js';
import { FileByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import { decodeTagged } from '../../v8/heap/tagged.js';
import { describeFunction, jsFunctionAt } from '../../v8/heap/function-info.js';
import { V8Heap } from '../../v8/heap/v8-heap.js';
import { loadV8Layout } from '../../v8/layout/v8-layout.js';
import { isNodescopeError, TargetError } from '../../util/errors.js';
import { ProcMemSpace } from '../live/proc-mem-space.js';
import { MetadataOnlyBinary } from './metadata-binary.js';
import type { Frame } from '../profile-model.js';
import type { JsFrameQuery, JsFrameResolver } from './js-frame-resolver.js';

/** Role: JsFrameResolver over the live V8 heap of one process. */
export class V8HeapJsFrameResolver implements JsFrameResolver {
  readonly name = 'v8-heap';
  private readonly cache = new Map<bigint, Frame | null>();

  private constructor(private readonly heap: V8Heap, private readonly space: ProcMemSpace, private readonly elfSource: FileByteSource) {}

  /** Opens the process's memory and loads the V8 layout; throws a typed error when it cannot. */
  static open(pid: number): V8HeapJsFrameResolver {
    const space = new ProcMemSpace(pid);
    let src: FileByteSource | undefined;
    try {
      const exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
      src = new FileByteSource(`/proc/${pid}/exe`);
      const elf = ElfFile.open(src);
      const first = space.mappings().find((m) => m.path === exe && m.fileOffset === 0);
      const bias = first !== undefined ? first.start - elf.loadBase() : 0;
      const layout = loadV8Layout(new MetadataOnlyBinary(elf), space, bias, { binaryName: exe });
      return new V8HeapJsFrameResolver(new V8Heap(space, layout), space, src);
    } catch (e) {
      space.close();
      src?.close();
      if (isNodescopeError(e)) throw e;
      throw new TargetError(`cannot load the V8 layout of process ${pid}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  resolve(q: JsFrameQuery): Frame | undefined {
    if (q.functionSlot === undefined) return undefined;
    const hit = this.cache.get(q.functionSlot);
    if (hit !== undefined) return hit ?? undefined;
    const lo = Number(q.functionSlot & 0xffffffffn), hi = Number(q.functionSlot >> 32n);
    const t = decodeTagged(lo, hi);
    let frame: Frame | null = null;
    if (t.kind === 'heap') {
      const fn = jsFunctionAt(this.heap, t.address);
      const info = fn !== undefined ? describeFunction(this.heap, fn) : undefined;
      if (info !== undefined) {
        const name = info.name !== '' ? info.name : (info.inferredName ?? '');
        const f: { -readonly [K in keyof Frame]: Frame[K] } = { name, kind: 'js' };
        if (info.scriptName !== undefined && info.scriptName !== '') f.file = info.scriptName;
        if (info.line !== undefined) f.line = info.line;
        if (info.column !== undefined) f.column = info.column;
        frame = f;
      }
    }
    this.cache.set(q.functionSlot, frame);
    return frame ?? undefined;
  }

  /** Releases the process memory handle and the binary. */
  close(): void {
    this.space.close();
    this.elfSource.close();
  }
}

/** Role: whether the executable of `pid` carries V8 postmortem metadata (a `v8dbg_` symbol name in .strtab); the reason when not. */
export function v8MetadataMissing(pid: number): string | undefined {
  let src: FileByteSource | undefined;
  try {
    src = new FileByteSource(`/proc/${pid}/exe`);
    const elf = ElfFile.open(src);
    const strtab = elf.section('.strtab');
    if (strtab === undefined) return 'the node binary is stripped (no .strtab), so the V8 layout cannot load';
    return elf.sectionData(strtab).includes('v8dbg_') ? undefined : 'the node binary has no V8 postmortem metadata (v8dbg_* symbols)';
  } catch (e) {
    if (isNodescopeError(e)) return `the node binary cannot be read (${e.message})`;
    throw e;
  } finally {
    src?.close();
  }
}

/** Role: the JsResolverFactory of kernel mode: the live V8 heap of the process. */
export const V8_HEAP_RESOLVERS: JsResolverFactory = {
  unavailable: v8MetadataMissing,
  open: (pid) => [V8HeapJsFrameResolver.open(pid)],
};
