// One debugging session over one target: the target plus the typed services derived from it,
// each built once on first use and shared by every query (the node binary's ELF and symbols, the
// V8 layout, the heap, the builtins, the symbolizer, the heap census and the reference graph).
// Heavy state lives here, never in module scope.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileByteSource } from '../io/byte-source.js';
import { snapshotProcess } from '../target/live/snapshot-process.js';
import { scratchDirFor } from '../target/live/scratch-space.js';
import { ElfFile, type ElfSymbol } from '../elf/elf-file.js';
import type { LayoutBinary } from '../v8/layout/layout-binary.js';
import { openCore, type OpenCoreOptions } from '../target/core/core-target.js';
import type { SessionTarget } from '../target/target.js';
import { LiveTarget } from '../target/live/live-target.js';
import { loadV8Layout, type V8Layout } from '../v8/layout/v8-layout.js';
import { BuiltinRanges, remappedBuiltinAliases } from '../v8/frames/builtin-ranges.js';
import type { V8FrameContext } from '../v8/frames/v8-frame.js';
import { V8Heap, type HeapObject } from '../v8/heap/v8-heap.js';
import { loadBytecodeSizes } from '../v8/layout/bytecode-sizes.js';
import { HeapGraph } from '../v8/pages/heap-graph.js';
import type { RootInputs } from '../v8/pages/heap-roots.js';
import { markReachable, type Reachability } from '../v8/pages/reachability.js';
import { Symbolizer } from '../native/symbolizer.js';
import { VTABLE_PREFIX, VtableIndex } from '../native/vtable-index.js';
import { v8MetadataMissing } from '../v8/layout/metadata-check.js';
import { requireNodeProcess, type NodeProcess } from '../node/node-process.js';
import { locateSessionDispatchTable } from './inspect/session-dispatch-table.js';
import type { JSDispatchTable } from '../v8/objects/js-dispatch-table.js';
import { HeapCensus, type ScanProgress } from './census/heap-census.js';
import { NODE_SYMBOL_PREFIXES, NodeRuntime } from '../node/node-runtime.js';
import { frameProbes } from './node/frame-probes.js';
import { NodescopeError, TargetError } from '../util/errors.js';
import { findLibc, glibcInfo, type GlibcInfo } from '../native/glibc/glibc-libc.js';
import { MallocHeapModel } from '../native/glibc/malloc-heap-model.js';

/** Role: a loaded core (or snapshot of a live process) and its lazily built services. */
export class Session {
  private elf: ElfFile | undefined;
  private layoutCache: V8Layout | undefined;
  private symbolsCache: readonly ElfSymbol[] | undefined;
  private heapCache: V8Heap | undefined;
  private builtinsCache: BuiltinRanges | undefined;
  private symbolizerCache: Symbolizer | undefined;
  private frameContextCache: V8FrameContext | undefined;
  private dispatchTableCache: { table: JSDispatchTable | undefined } | undefined;
  private censusCache: HeapCensus | undefined;
  private graphCache: HeapGraph | undefined;
  private reachabilityCache: Reachability | undefined;
  private nodeCache: NodeRuntime | undefined;
  private vtableCache: VtableIndex | undefined;
  private glibcCache: GlibcInfo | undefined;
  private mallocCache: MallocHeapModel | undefined;
  private readonly cleanups: (() => void)[] = [];

  constructor(readonly target: SessionTarget) {}

  /**
   * Opens a running process in place (LiveTarget): nothing is stopped until a ProcessFreeze; the
   * services a walk needs are built first with prepareLive(), so the freeze stays short.
   */
  static openLive(pid: number): Session {
    return new Session(LiveTarget.open(pid));
  }

  /** Builds everything a stack walk reads from files (layout, builtins, symbols, CFI) ahead of a freeze. */
  prepareLive(): void {
    this.layout();
    this.frameContext();
    this.symbolizer().warm();
  }

  /** Opens a core file. */
  static openCore(path: string, opts: OpenCoreOptions = {}): Session {
    return new Session(openCore(path, opts));
  }

  /** Thread names known from outside the core (live: /proc/PID/task/TID/comm). */
  readonly threadNames = new Map<number, string>();

  /**
   * Snapshots a live process to a temporary core (the process keeps running), and opens it;
   * the core is deleted when the session closes. (`snapshot -p` and analyses that want a
   * lasting copy; others read the process in place with openLive.)
   */
  static async openProcess(pid: number): Promise<Session> {
    const dir = mkdtempSync(join(tmpdir(), 'nodescope-'));
    const names = readThreadNames(pid);
    try {
      const scratchDir = scratchDirFor(pid);
      const { corePath } = await snapshotProcess(pid, join(dir, `core.${pid}`), scratchDir ? { scratchDir } : { sparse: false });
      const s = Session.openCore(corePath);
      for (const [tid, name] of names) s.threadNames.set(tid, tid === pid ? 'main' : name);
      s.onClose(() => rmSync(dir, { recursive: true, force: true }));
      return s;
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Registers work to run at close (e.g. deleting a temporary snapshot). */
  onClose(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** The node executable as an ELF file (the --binary override when given). */
  binary(): ElfFile {
    if (!this.elf) this.elf = ElfFile.open(new FileByteSource(this.target.binaryPath, 32 * 1024 * 1024));
    return this.elf;
  }

  /**
   * The node binary's symbols that the V8 model reads (metadata, embedded builtins, V8 statics),
   * found in one scan of its symbol tables and kept for the session.
   */
  v8Symbols(): readonly ElfSymbol[] {
    this.symbolsCache ??= this.binary().symbolsWithPrefix(V8_SYMBOL_PREFIXES);
    return this.symbolsCache;
  }

  /** The node binary's C++ vtables by vptr (one scan of its symbol tables, on first use). */
  vtables(): VtableIndex {
    this.vtableCache ??= new VtableIndex(this.binary().symbolsWithPrefix([VTABLE_PREFIX]), this.binaryBias(), this.symbolizer().demangler);
    return this.vtableCache;
  }

  /** The C++ class of the object at `address` in the node binary's terms (its first word a known vptr), or undefined. */
  nativeClassAt(address: number): string | undefined {
    if (address === 0 || address % 8 !== 0) return undefined;
    const w = this.target.space.tryRead(address, 8);
    const vptr = w === undefined ? undefined : Number(w.readBigUInt64LE(0));
    return vptr === undefined || !Number.isSafeInteger(vptr) ? undefined : this.vtables().classOfVptr(vptr);
  }

  /** Load bias of the node executable in the target. */
  binaryBias(): number {
    const m = this.target.modules.find((x) => x.path === this.target.executablePath);
    return m?.bias ?? 0;
  }

  /** Why the node binary lacks V8's postmortem metadata (the one check), or undefined when it has it. */
  v8MetadataMissing(): string | undefined {
    return v8MetadataMissing(this.v8Symbols(), this.target.binaryPath);
  }

  /** The live process as a Node process (its V8 metadata checked); a TargetError when it is not Node. */
  nodeProcess(): NodeProcess {
    const t = this.target;
    if (!(t instanceof LiveTarget)) throw new TargetError(`${t.name} is a core, not a live process`);
    return requireNodeProcess(t.process, this.v8Symbols());
  }

  /** The V8 layout from the binary's metadata; throws a clear error for non-Node targets. */
  layout(): V8Layout {
    if (!this.layoutCache) {
      if (this.v8MetadataMissing() !== undefined) {
        const t = this.target;
        throw new TargetError(
          t instanceof LiveTarget
            ? `PID ${t.pid} is not a Node process whose V8 state can be read (${t.process.exe} carries no V8 metadata: a stripped or metadata-less build)`
            : `${t.name}: not a Node process core (${t.binaryPath} carries no V8 metadata)`,
          'NOT_NODE',
        );
      }
      // The metadata is there (checked above): whatever the loader rejects now is named by it.
      this.layoutCache = loadV8Layout(metadataView(this.binary(), this.v8Symbols()), this.target.space, this.binaryBias(), { binaryName: this.target.binaryPath });
    }
    return this.layoutCache;
  }

  /** The V8Heap of the target (its map, string and line-end caches serve every query). */
  heap(): V8Heap {
    this.heapCache ??= new V8Heap(this.target.space, this.layout());
    return this.heapCache;
  }

  /** The embedded builtins, also at the addresses V8 remapped them to (Node 22+). */
  builtins(): BuiltinRanges {
    if (this.builtinsCache === undefined) {
      const t = this.target;
      const aliases = remappedBuiltinAliases(t.space.mappings(), t.executablePath, this.binary().programHeaders, this.binaryBias());
      this.builtinsCache = new BuiltinRanges(this.v8Symbols(), this.binaryBias(), aliases);
    }
    return this.builtinsCache;
  }

  /** The native symbolizer of the target's modules. */
  symbolizer(): Symbolizer {
    if (this.symbolizerCache === undefined) {
      const s = new Symbolizer(this.target, { binary: this.target.binaryPath });
      this.onClose(() => s.close());
      this.symbolizerCache = s;
    }
    return this.symbolizerCache;
  }

  /** What V8 frame classification reads: heap, builtins, bytecode sizes, position-table cache. */
  frameContext(): V8FrameContext {
    if (this.frameContextCache === undefined) {
      const bin = this.binary();
      const bytecodeSizes = loadBytecodeSizes({
        symbols: () => this.v8Symbols().filter((x) => x.name.startsWith(BYTECODE_SIZES_PREFIX)),
        sections: () => bin.sections(),
        readVaddr: (v, n) => bin.readVaddr(v, n),
      });
      this.frameContextCache = { heap: this.heap(), builtins: this.builtins(), positionTables: new Map(), ...(bytecodeSizes ? { bytecodeSizes } : {}) };
    }
    return this.frameContextCache;
  }

  /** The JSDispatchTable (V8 ≥ 13), located on first use with `probe` (a JSFunction). */
  dispatchTable(probe: HeapObject): JSDispatchTable | undefined {
    if (this.dispatchTableCache === undefined) {
      const table = locateSessionDispatchTable(this.binary(), this.binaryBias(), this.heap(), probe);
      // A failed search with this probe may succeed with another: only a found table is kept.
      if (table === undefined) return undefined;
      this.dispatchTableCache = { table };
    }
    return this.dispatchTableCache.table;
  }

  /** The heap census: every object of the heap walk, grouped (built once, then queried). */
  census(onProgress?: ScanProgress): HeapCensus {
    this.censusCache ??= new HeapCensus(this.target.space, this.heap(), onProgress);
    return this.censusCache;
  }

  /** Whether the heap census has been built in this session (queries that only use it when present ask). */
  hasCensus(): boolean {
    return this.censusCache !== undefined;
  }

  /** The reference graph over the census's object table, with its roots (built once). */
  heapGraph(onProgress?: ScanProgress): HeapGraph {
    this.graphCache ??= new HeapGraph(this.target.space, this.census(onProgress).table, this.rootInputs(), onProgress);
    return this.graphCache;
  }

  /** The postmortem mark from the roots: what is live and one shortest path to each object. */
  reachability(onProgress?: ScanProgress): Reachability {
    this.reachabilityCache ??= markReachable(this.heapGraph(onProgress));
    return this.reachabilityCache;
  }

  /** The target's glibc: release and malloc statics (from libc6-dbg when installed); UNSUPPORTED for other allocators. */
  glibc(): GlibcInfo {
    this.glibcCache ??= glibcInfo(findLibc(this.symbolizer().modules()));
    return this.glibcCache;
  }

  /** glibc's malloc heap: every arena's chunks, mmapped chunks, fastbin and tcache entries (walked once). */
  mallocHeap(): MallocHeapModel {
    if (this.mallocCache === undefined) {
      const g = this.glibc();
      const libcMaps = this.target.space.mappings().filter((m) => m.path === g.path);
      this.mallocCache = MallocHeapModel.build(this.target.space, g, libcMaps);
    }
    return this.mallocCache;
  }

  /** Node's runtime state: Environments (from frames and by vtable), wrap queues, libuv's default loop (built once). */
  node(onProgress?: ScanProgress): NodeRuntime {
    this.nodeCache ??= new NodeRuntime({
      space: this.target.space,
      heap: this.heap(),
      symbols: this.v8Symbols(),
      bias: this.binaryBias(),
      probes: () => frameProbes(this),
      microtaskQueue: () => this.microtaskQueueLayout(),
      ...(onProgress ? { onProgress } : {}),
    });
    return this.nodeCache;
  }

  /** What the root finder needs from the target and the binary. */
  private rootInputs(): RootInputs {
    const mq = this.microtaskQueueLayout();
    return {
      threads: this.target.threads,
      ...(mq !== undefined ? { microtaskQueueVtable: mq.vptr, microtaskQueueOffsets: mq.offsets } : {}),
    };
  }

  /** V8's MicrotaskQueue: the vptr its objects hold and its exported field offsets (C++ constants in the binary). */
  microtaskQueueLayout(): { vptr: number; offsets: Required<RootInputs>['microtaskQueueOffsets'] } | undefined {
    const bin = this.binary();
    const syms = this.v8Symbols();
    const int64 = (name: string): number | undefined => {
      const s = syms.find((x) => x.name === name);
      return s === undefined ? undefined : Number(bin.readVaddr(s.value, 8).readBigInt64LE(0));
    };
    const vtable = syms.find((x) => x.name === MICROTASK_QUEUE_VTABLE);
    const offsets = {
      ringBuffer: int64('_ZN2v88internal14MicrotaskQueue17kRingBufferOffsetE'),
      capacity: int64('_ZN2v88internal14MicrotaskQueue15kCapacityOffsetE'),
      start: int64('_ZN2v88internal14MicrotaskQueue12kStartOffsetE'),
      size: int64('_ZN2v88internal14MicrotaskQueue11kSizeOffsetE'),
    };
    const complete = Object.values(offsets).every((v) => v !== undefined);
    // An object's vtable pointer skips the offset-to-top and typeinfo words (Itanium C++ ABI).
    return vtable !== undefined && complete ? { vptr: vtable.value + this.binaryBias() + 16, offsets: offsets as Required<RootInputs>['microtaskQueueOffsets'] } : undefined;
  }

  close(): void {
    this.target.close();
    this.elf?.source.close();
    for (const fn of this.cleanups.splice(0)) {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof NodescopeError)) throw e;
      }
    }
  }
}

/** Prefixes of every symbol the V8 layout loader reads (metadata and V8's version statics). */
const METADATA_PREFIXES = ['v8dbg_', 'nodedbg_', '_ZN2v88internal7Version'];
/** Name prefix of V8's bytecode size table symbol (v8::internal::interpreter::Bytecodes::kBytecodeSizes). */
const BYTECODE_SIZES_PREFIX = '_ZN2v88internal11interpreter9Bytecodes14kBytecodeSizes';
/** v8::internal::MicrotaskQueue's vtable (its objects are found by it). */
const MICROTASK_QUEUE_VTABLE = '_ZTVN2v88internal14MicrotaskQueueE';
/** Name prefixes of the node binary's symbols that the V8 model uses (one scan finds them all). */
const V8_SYMBOL_PREFIXES = [...METADATA_PREFIXES, 'Builtins_', '_ZN2v88internal11interpreter9Bytecodes', '_ZN2v88internal14MicrotaskQueue', MICROTASK_QUEUE_VTABLE, ...NODE_SYMBOL_PREFIXES];

/**
 * The node binary as the layout loader sees it, with only the metadata symbols: decoding all of
 * a node binary's 190k symbol names costs more than the rest of loading a core.
 */
function metadataView(elf: ElfFile, symbols: readonly ElfSymbol[]): LayoutBinary {
  const syms = symbols.filter((s) => METADATA_PREFIXES.some((p) => s.name.startsWith(p)));
  return {
    symbols: () => syms,
    sections: () => elf.sections(),
    readVaddr: (vaddr, length) => elf.readVaddr(vaddr, length),
  };
}

function readThreadNames(pid: number): Map<number, string> {
  const out = new Map<number, string>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        out.set(Number(tid), readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
      } catch {
        // The thread exited meanwhile.
      }
    }
  } catch {
    // No such process: the snapshot reports it with a clear error.
  }
  return out;
}
