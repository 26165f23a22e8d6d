// A core's heap as a snapshot graph, built on the session's census, reference graph and mark:
// node 0 is V8's synthetic root (an element edge to `(GC roots)`, a shortcut to each global
// object), then `(GC roots)` and the sub-roots our root finder fills, then every object the roots
// reach, weak references included (all objects with `all`), in address order, then one `(corrupt)` hidden node per stretch
// of heap the walk could not parse. Ids are odd and derived from the address (page, offset).
import { NodescopeError } from '../../util/errors.js';
import { stringLength } from '../../v8/heap/strings.js';
import type { RootKind } from '../../v8/pages/heap-roots.js';
import type { ScanProgress } from '../census/heap-census.js';
import type { Session } from '../session.js';
import { SnapshotEdgeExtractor } from './edge-extractor.js';
import { ArrayTag, SnapshotNodeNamer } from './node-naming.js';
import { EdgeType, NodeType, type NodeSink, type SnapshotSource } from './snapshot-model.js';
import { arrayTags, nonEssentialObjects } from './snapshot-tags.js';
import { weakClosure } from './weak-closure.js';

/** Role: options of a core snapshot. */
export interface CoreSnapshotOptions {
  /** Every object the walk found, garbage included (default: what the roots reach, as V8 writes). */
  readonly all?: boolean;
  /** Objects of the read-only space get self_size 0 (V8 13+ snapshots). */
  readonly readOnlySizeZero?: boolean;
  /** External strings' sizes include their characters (V8 13+ snapshots). */
  readonly externalStringPayload?: boolean;
  /** The root's shortcuts go to native contexts; globals are named `global (global*)` (V8 14 snapshots). */
  readonly nativeContextRoots?: boolean;
  readonly onProgress?: ScanProgress;
}

/** The sub-roots of `(GC roots)` our roots fall under, in V8's order (V8 src/roots/roots.h Root). */
const SUB_ROOTS = ['(Read-only roots)', '(Strong roots)', '(Stack roots)', '(Global handles)'] as const;
const SUB_ROOT_OF: Readonly<Record<RootKind, number>> = { 'read-only': 0, isolate: 1, 'microtask queue': 1, stack: 2, register: 2, 'global handle': 3 };
const FIRST_OBJECT = 2 + SUB_ROOTS.length;
/** Odd ids below this are the synthetic nodes' (1, 3, 5 …), as in V8. */
const RESERVED_IDS = 256;
/** Object slots per page in an id (256 KiB pages of 8-byte words). */
const PAGE_SLOTS = 1 << 15;

/** Role: the snapshot graph of one core's heap. */
export class CoreSnapshotSource implements SnapshotSource {
  readonly nodeCount: number;
  /** Heap objects in the snapshot. */
  readonly objects: number;
  /** Unparsed stretches of heap, each a `(corrupt)` node. */
  readonly gaps: number;
  private corruptObjects = 0;
  private readonly objectOf: Uint32Array;
  private readonly ordinal: Int32Array;
  private readonly readOnly: Uint8Array;
  private readonly tags: Uint8Array;
  private readonly subRootTargets: number[][];
  private readonly globals: number[];
  private readonly namer: SnapshotNodeNamer;
  private readonly edges: SnapshotEdgeExtractor;
  private readonly sequentialIds: boolean;
  private readonly globalType: number | undefined;
  private readonly proxyType: number | undefined;

  constructor(private readonly session: Session, private readonly opts: CoreSnapshotOptions = {}) {
    const census = session.census(opts.onProgress);
    const graph = session.heapGraph(opts.onProgress);
    const marked = opts.all === true ? undefined : weakClosure(graph, session.reachability(opts.onProgress).marked);
    const table = census.table;
    const n = table.count;
    this.ordinal = new Int32Array(n).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) if (marked === undefined || marked[i] === 1) this.ordinal[i] = FIRST_OBJECT + count++;
    this.objects = count;
    this.objectOf = new Uint32Array(count);
    for (let i = 0; i < n; i++) if (this.ordinal[i]! >= 0) this.objectOf[this.ordinal[i]! - FIRST_OBJECT] = i;
    this.readOnly = new Uint8Array(n);
    table.walker.pages.pages.forEach((p, pi) => {
      if (p.kind === 'read-only') this.readOnly.fill(1, table.pageFirst[pi]!, table.pageFirst[pi + 1]!);
    });
    this.gaps = census.gaps.length;
    this.nodeCount = FIRST_OBJECT + count + this.gaps;
    this.sequentialIds = table.walker.pages.pages.length >= (0x8000_0000 - RESERVED_IDS) / PAGE_SLOTS;
    const types = census.heap.layout.types;
    this.globalType = types.value('JS_GLOBAL_OBJECT_TYPE');
    this.proxyType = types.value('JS_GLOBAL_PROXY_TYPE');
    const userRoot = opts.nativeContextRoots === true ? census.heap.layout.opt.NativeContextType : this.globalType;
    this.globals = [];
    for (let i = 0; i < n; i++) if (this.ordinal[i]! >= 0 && table.type(i) === userRoot) this.globals.push(i);
    this.subRootTargets = SUB_ROOTS.map(() => []);
    const roots = graph.roots;
    for (let r = 0; r < roots.count; r++) this.subRootTargets[SUB_ROOT_OF[roots.kind[r]!]]!.push(roots.target[r]!);
    opts.onProgress?.(0, 'naming the snapshot');
    this.tags = arrayTags(graph, this.ordinal, this.readOnly);
    this.namer = new SnapshotNodeNamer(census);
    const nonEssential = nonEssentialObjects(graph, this.readOnly);
    this.edges = new SnapshotEdgeExtractor(graph, {
      ordinal: this.ordinal,
      nonEssential: (j) => nonEssential.has(j),
      describe: (j) => ({ name: this.nameOf(j).name ?? '(string)', id: this.idOf(j) }),
    });
  }

  /** Heap objects whose node could not be named or whose edges could not all be read. */
  get corrupt(): number {
    return this.corruptObjects + this.gaps;
  }

  emit(k: number, sink: NodeSink): void {
    if (k === 0) return this.emitRoot(sink);
    if (k === 1) {
      sink.node(NodeType.Synthetic, '(GC roots)', 3, 0);
      for (let s = 0; s < SUB_ROOTS.length; s++) sink.edge(EdgeType.Element, s + 1, 2 + s);
      return;
    }
    if (k < FIRST_OBJECT) return this.emitSubRoot(k - 2, sink);
    if (k < FIRST_OBJECT + this.objects) return this.emitObject(this.objectOf[k - FIRST_OBJECT]!, sink);
    const gap = this.session.census().gaps[k - FIRST_OBJECT - this.objects]!;
    sink.node(NodeType.Hidden, '(corrupt)', this.idOfAddress(gap.address, k), Math.min(gap.resumedAt - gap.address, 0xffff_ffff));
  }

  private emitRoot(sink: NodeSink): void {
    sink.node(NodeType.Synthetic, '', 1, 0);
    sink.edge(EdgeType.Element, 1, 1);
    let index = 2;
    for (const g of this.globals) sink.edge(EdgeType.Shortcut, index++, this.ordinal[g]!);
  }

  private emitSubRoot(s: number, sink: NodeSink): void {
    sink.node(NodeType.Synthetic, SUB_ROOTS[s]!, 5 + 2 * s, 0);
    let index = 1;
    for (const j of this.subRootTargets[s]!) {
      const to = this.ordinal[j]!;
      if (to >= 0) sink.edge(EdgeType.Internal, index++, to);
    }
  }

  private emitObject(i: number, sink: NodeSink): void {
    const table = this.session.census().table;
    const size = this.opts.readOnlySizeZero === true && this.readOnly[i] === 1 ? 0 : table.size(i) + (this.opts.externalStringPayload === true ? this.externalPayload(i) : 0);
    const id = this.idOf(i);
    let named: { type: NodeType; name: string | undefined };
    try {
      named = this.nameOf(i);
    } catch (e) {
      if (!(e instanceof NodescopeError)) throw e;
      named = { type: NodeType.Hidden, name: '(corrupt)' };
    }
    if (named.name === '(corrupt)') this.corruptObjects++;
    if (named.name === undefined) sink.nodeNamedLater(named.type, i, id, size);
    else sink.node(named.type, named.name, id, size);
    try {
      this.edges.emit(i, sink);
    } catch (e) {
      if (!(e instanceof NodescopeError)) throw e;
      this.corruptObjects++;
    }
  }

  /** Bytes of an external string's characters (length × 1 or 2), else 0. */
  private externalPayload(i: number): number {
    const heap = this.session.census().heap;
    const type = this.session.census().table.type(i);
    const L = heap.layout.req;
    if (!heap.isString(type) || (type & L.StringRepresentationMask) !== L.ExternalStringTag) return 0;
    const length = stringLength(heap, this.session.census().table.address(i)) ?? 0;
    return (type & L.StringEncodingMask) === L.OneByteStringTag ? length : 2 * length;
  }

  nameLater(i: number): string {
    const name = this.namer.stringName(i);
    if (name !== undefined) return name;
    this.corruptObjects++;
    return '(corrupt)';
  }

  private nameOf(i: number): { type: NodeType; name: string | undefined } {
    const named = this.namer.name(i, this.readOnly[i] === 1, this.tags[i] as ArrayTag);
    if (this.opts.nativeContextRoots !== true) return named;
    const type = this.session.census().table.type(i);
    if (type === this.globalType) return { type: named.type, name: `${named.name ?? ''} (global*)` };
    if (type === this.proxyType) return { type: named.type, name: `${named.name ?? ''} (global)` };
    return named;
  }

  /** The id of object `i`: odd, from its page and its word offset in the page. */
  private idOf(i: number): number {
    return this.idOfAddress(this.session.census().table.address(i), this.ordinal[i]!);
  }

  private idOfAddress(address: number, ordinal: number): number {
    const pages = this.session.census().table.walker.pages;
    const pi = pages.indexOf(address);
    if (this.sequentialIds || pi < 0) return 2 * (RESERVED_IDS + ordinal) + 1;
    const slot = Math.floor((address - pages.pages[pi]!.base) / 8) % PAGE_SLOTS;
    return 2 * (RESERVED_IDS + pi * PAGE_SLOTS + slot) + 1;
  }
}
