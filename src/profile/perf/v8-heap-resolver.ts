// A JsFrameResolver that names JS frames the way DTrace's V8 ustack helper did: the JSFunction
// slot copied from the frame at sample time (fp − 16) → SharedFunctionInfo → name and Script,
// read from the live heap through /proc/PID/mem with the V8 layout from the binary's metadata.
// In pipe mode it runs while sampling, moments after each sample; a JSFunction a GC has moved
// since is followed through its forwarding map word. Names are cached per address and re-checked
// once per batch (the GC epoch we can see), so an address reused by another function is noticed.
import { readlinkSync } from 'node:fs';
import type { JsResolverFactory } from './js-frame-resolver.js';
import { FileByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import { decodeTagged } from '../../v8/heap/tagged.js';
import { describeShared, jsFunctionAt, sharedOf, type FunctionInfo } from '../../v8/heap/function-info.js';
import { V8Heap, type HeapObject } from '../../v8/heap/v8-heap.js';
import { loadV8Layout } from '../../v8/layout/v8-layout.js';
import { isNodescopeError, TargetError } from '../../util/errors.js';
import { ProcMemSpace } from '../../target/live/proc-mem-space.js';
import { MetadataOnlyBinary } from './metadata-binary.js';
import type { Frame } from '../profile-model.js';
import type { JsFrameQuery, JsFrameResolver } from './js-frame-resolver.js';

/** Most JSFunction addresses remembered. */
const MAX_CACHED = 65536;

function frameOf(info: FunctionInfo): Frame {
  const name = info.name !== '' ? info.name : (info.inferredName ?? '');
  const f: { -readonly [K in keyof Frame]: Frame[K] } = { name, kind: 'js' };
  if (info.scriptName !== undefined && info.scriptName !== '') f.file = info.scriptName;
  if (info.line !== undefined) f.line = info.line;
  if (info.column !== undefined) f.column = info.column;
  return f;
}

/** Role: JsFrameResolver over the live V8 heap of one process. */
export class V8HeapJsFrameResolver implements JsFrameResolver {
  readonly name = 'v8-heap';
  /** JSFunction address → its frame (null: not a JSFunction), its SharedFunctionInfo, and the batch it was checked in. */
  private readonly cache = new Map<number, { frame: Frame | null; shared: number; epoch: number }>();
  private epoch = 0;
  private resolved = 0;
  private forwarded = 0;

  private constructor(private readonly heap: V8Heap, private readonly release: () => void) {}

  /** Makes a resolver over an existing heap view; `release` runs at close (tests pass synthetic heaps). */
  static over(heap: V8Heap, release: () => void = () => undefined): V8HeapJsFrameResolver {
    return new V8HeapJsFrameResolver(heap, release);
  }

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
      const source = src;
      return new V8HeapJsFrameResolver(new V8Heap(space, layout), () => { space.close(); source.close(); });
    } catch (e) {
      space.close();
      src?.close();
      if (isNodescopeError(e)) throw e;
      throw new TargetError(`cannot load the V8 layout of process ${pid}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Starts a new batch: every cached address is re-validated at its next use. */
  beginBatch(): void {
    this.epoch++;
  }

  resolve(q: JsFrameQuery): Frame | undefined {
    if (q.functionSlot === undefined) return undefined;
    const t = decodeTagged(Number(q.functionSlot & 0xffffffffn), Number(q.functionSlot >> 32n));
    if (t.kind !== 'heap') return undefined;
    const hit = this.cache.get(t.address);
    if (hit !== undefined && hit.epoch === this.epoch) return hit.frame ?? undefined;
    const fn = this.functionAt(t.address);
    const sfi = fn !== undefined ? sharedOf(this.heap, fn) : undefined;
    if (hit !== undefined && sfi !== undefined && hit.shared === sfi.address && hit.frame !== null) {
      hit.epoch = this.epoch;
      return hit.frame;
    }
    // The heap's session cache keys descriptions by SharedFunctionInfo address, which a live GC
    // may since have given to another SFI: describe it afresh whenever this cache misses.
    if (sfi !== undefined) this.heap.sharedInfos.delete(sfi.address);
    const frame = sfi !== undefined ? frameOf(describeShared(this.heap, sfi)) : null;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(t.address, { frame, shared: sfi?.address ?? 0, epoch: this.epoch });
    if (frame !== null) this.resolved++;
    return frame ?? undefined;
  }

  /** The JSFunction at `address`, or where a GC moved it (one forwarding hop), or undefined. */
  private functionAt(address: number): HeapObject | undefined {
    const fn = jsFunctionAt(this.heap, address);
    if (fn !== undefined) return fn;
    // A moved object's map word holds its new address untagged (V8 src/objects/map-word.h,
    // MapWord::FromForwardingAddress without pointer compression: object.ptr() − kHeapObjectTag).
    const w = this.heap.space.tryRead(address, 8);
    if (w === undefined) return undefined;
    const lo = w.readUInt32LE(0), hi = w.readUInt32LE(4);
    if ((lo & 7) !== 0 || hi === 0 || hi >= 0x8000) return undefined;
    const to = hi * 0x1_0000_0000 + lo;
    if (to === address) return undefined;
    const moved = jsFunctionAt(this.heap, to);
    if (moved !== undefined) this.forwarded++;
    return moved;
  }

  /** How many JSFunctions were named, and how many of them were found through a forwarding word. */
  counts(): { resolved: number; forwarded: number } {
    return { resolved: this.resolved, forwarded: this.forwarded };
  }

  /** Releases the process memory handle and the binary. */
  close(): void {
    this.release();
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
