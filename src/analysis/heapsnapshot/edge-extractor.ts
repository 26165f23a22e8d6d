// The edges of one heap object's node, as V8's HeapSnapshotGenerator makes them
// (V8HeapExplorer::ExtractReferences and IndexedReferencesExtractor in V8
// src/profiler/heap-snapshot-generator.cc), from the reference graph's slots (target and offset):
// the map, named internal fields (metadata class fields), JS properties and elements (folded out of
// the PropertyArray, dictionaries and elements store, as V8 does), `__proto__`, context variables,
// array indexes; every other strong slot is a `hidden` edge numbered as V8 numbers it, weak slots
// are `weak` edges, and WeakMap entries get V8's ephemeron edges.
import type { V8Heap } from '../../v8/heap/v8-heap.js';
import type { HeapGraph } from '../../v8/pages/heap-graph.js';
import type { ObjectTable } from '../../v8/pages/object-table.js';
import { SlotRule } from '../../v8/pages/slot-rules.js';
import { contextVariableSlots } from '../../v8/objects/context-chain.js';
import { MapFieldReader } from './js-object-fields.js';
import { EdgeType, type NodeSink } from './snapshot-model.js';
import { SlotLookup } from './slot-lookup.js';

/** How the slots of an instance type are named. */
const enum Kind {
  Unknown = 0,
  Other,
  Receiver,
  Bound,
  Global,
  Context,
  NativeContext,
  Fixed,
}

/** V8's names for fields whose metadata name differs (V8HeapExplorer::ExtractJSObjectReferences). */
const V8_FIELD_NAMES: Readonly<Record<string, string>> = { raw_feedback_cell: 'feedback_cell', raw_script: 'script_or_debug_info' };
/** Metadata fields that are not single tagged slots with a meaning of their own. */
const UNNAMED_FIELDS = new Set(['internal_fields', 'global_dictionary', 'data']);
/** PropertyArray {map, length_and_hash, slots…}. */
const PROPERTY_ARRAY_DATA = 16;

/** Role: what the extractor needs from the snapshot being built. */
export interface EdgeContext {
  /** Node ordinal of object `j`, or -1 when it is not in the snapshot. */
  readonly ordinal: Int32Array;
  /** Whether V8 would leave internal and hidden edges to object `j` out (V8HeapExplorer::IsEssentialObject). */
  nonEssential(j: number): boolean;
  /** Name and id of object `j`'s node (for ephemeron edge names). */
  describe(j: number): { name: string; id: number };
}

/** Role: emits the edges of heap objects, one object at a time, in increasing object order. */
export class SnapshotEdgeExtractor {
  private readonly heap: V8Heap;
  private readonly table: ObjectTable;
  private readonly kindOf = new Uint8Array(1 << 16);
  private readonly classFields = new Map<number, ReadonlyMap<number, string>>();
  private readonly fields: MapFieldReader;
  private readonly slots: SlotLookup;
  private weakCursor = 0;
  private readonly ephemeronsByTable = new Map<number, number[]>();
  private readonly ephemeronsByKey = new Map<number, number[]>();

  constructor(private readonly graph: HeapGraph, private readonly ctx: EdgeContext) {
    this.table = graph.table;
    this.heap = graph.table.walker.heap;
    this.fields = new MapFieldReader(this.heap);
    this.slots = new SlotLookup(graph, this.fields);
    const eph = graph.ephemerons;
    for (let k = 0; k < eph.length; k += 3) {
      push(this.ephemeronsByTable, eph[k]!, k);
      push(this.ephemeronsByKey, eph[k + 1]!, k);
    }
  }

  /** Emits the edges of object `i` (its node has just been emitted). */
  emit(i: number, sink: NodeSink): void {
    const g = this.graph;
    const ord = this.ctx.ordinal;
    const type = this.table.type(i);
    const kind = this.kind(type);
    const o = this.heap.layout.opt;
    const data = this.heap.layout.req.FixedArray_data;
    const mapFields = kind === Kind.Receiver || kind === Kind.Global ? this.fields.fields(this.table.walker.maps.address(this.table.mapId(i))) : undefined;
    const vars = kind === Kind.Context ? this.contextVariables(i) : undefined;
    const names = this.classFieldNames(type);
    // A JS object's properties and elements slots always hold pointers; one the graph lacks points
    // outside the walked pages (the read-only space's empty arrays on V8 13+): V8 still counts it.
    let hidden = kind === Kind.Receiver || kind === Kind.Global ? this.uncountedSlots(i) : 0;
    for (let k = g.edgeStart[i]!; k < g.edgeStart[i + 1]!; k++) {
      const j = g.edgeTarget[k]!;
      const off = g.edgeOffset[k]!;
      const to = ord[j]!;
      if (off === 0) {
        if (to >= 0) sink.edge(EdgeType.Internal, 'map', to);
        continue;
      }
      let et = EdgeType.Internal;
      let name: string | number | undefined;
      if (kind === Kind.Receiver || kind === Kind.Bound || kind === Kind.Global) {
        const f = mapFields?.inObject.get(off);
        if (off === o.JSReceiver_raw_properties_or_hash) name = 'properties';
        else if (off === o.JSObject_elements) name = 'elements';
        else if (kind === Kind.Bound) name = this.boundName(off);
        else if (kind === Kind.Global && f === undefined) name = this.globalName(j) ?? names.get(off);
        else if (f !== undefined) {
          if (!f.double) {
            et = EdgeType.Property;
            name = f.name;
          }
        } else name = names.get(off);
      } else if (kind === Kind.Context || kind === Kind.NativeContext) {
        const index = (off - data) / 8;
        if (index === (o.context_idx_scope_info ?? 0)) name = 'scope_info';
        else if (index === (o.context_idx_prev ?? 1)) name = 'previous';
        else if (kind === Kind.NativeContext) name = this.nativeContextSlot(j);
        else {
          name = vars?.get(off);
          if (name !== undefined) et = EdgeType.Context;
        }
      } else if (kind === Kind.Fixed) {
        if (off >= data) name = (off - data) / 8;
      } else name = names.get(off);
      const essential = !this.ctx.nonEssential(j);
      if (name !== undefined && (et !== EdgeType.Internal || essential)) {
        if (to >= 0) sink.edge(et, name, to);
        continue;
      }
      const index = hidden++;
      if (essential && to >= 0) sink.edge(EdgeType.Hidden, index, to);
    }
    if (kind === Kind.Receiver || kind === Kind.Bound || kind === Kind.Global) this.emitProperties(i, kind === Kind.Global, sink);
    hidden = this.emitWeak(i, hidden, sink);
    this.emitEphemerons(i, hidden, sink);
  }

  /** How many of object `i`'s properties and elements slots have no edge in the graph. */
  private uncountedSlots(i: number): number {
    const o = this.heap.layout.opt;
    return (this.slots.target(i, o.JSReceiver_raw_properties_or_hash) < 0 ? 1 : 0) + (this.slots.target(i, o.JSObject_elements) < 0 ? 1 : 0);
  }

  /** Property and element edges V8 draws from a JS object itself, and its `__proto__`. */
  private emitProperties(i: number, global: boolean, sink: NodeSink): void {
    const ord = this.ctx.ordinal;
    const s = this.slots;
    const edge = (type: EdgeType, name: string | number, j: number): void => {
      const to = j >= 0 ? ord[j]! : -1;
      if (to >= 0) sink.edge(type, name, to);
    };
    const mapIndex = s.mapOf(i);
    const mapFields = this.fields.fields(this.table.walker.maps.address(this.table.mapId(i)));
    const props = s.target(i, this.heap.layout.opt.JSReceiver_raw_properties_or_hash);
    if (props >= 0) {
      if (global) s.forGlobalCells(props, (name, j) => edge(EdgeType.Property, name, j));
      else if (this.table.type(props) === this.heap.types.PROPERTY_ARRAY) {
        s.forSlots(props, PROPERTY_ARRAY_DATA, (index, j) => {
          const f = mapFields.outOfObject.get(index);
          if (f !== undefined && !f.double) edge(EdgeType.Property, f.name, j);
        });
      } else s.forDictionary(props, (key, j) => edge(EdgeType.Property, this.fields.keyName(key), j));
    }
    const elements = s.target(i, this.heap.layout.opt.JSObject_elements);
    if (elements >= 0) s.forElements(elements, (index, j) => edge(EdgeType.Element, index, j));
    for (const c of s.constants(mapIndex, this.table.mapId(i))) {
      edge(EdgeType.Property, c.name, c.target);
      if (c.getter >= 0) edge(EdgeType.Property, `get ${c.name}`, c.getter);
      if (c.setter >= 0) edge(EdgeType.Property, `set ${c.name}`, c.setter);
    }
    if (this.table.type(i) === this.heap.types.JS_BOUND_FUNCTION) {
      const bindings = s.target(i, this.heap.layout.opt.JSBoundFunction_bound_arguments);
      if (bindings >= 0) s.forSlots(bindings, this.heap.layout.req.FixedArray_data, (index, j) => edge(EdgeType.Shortcut, `bound_argument_${index}`, j));
    }
    if (mapIndex >= 0) edge(EdgeType.Property, '__proto__', s.prototypeOf(mapIndex));
  }

  /** Weak slots of object `i`, numbered after its hidden edges as V8 numbers them. */
  private emitWeak(i: number, hidden: number, sink: NodeSink): number {
    const w = this.graph.weakRefs;
    while (this.weakCursor < w.length && w[this.weakCursor]! < i) this.weakCursor += 3;
    for (let c = this.weakCursor; c < w.length && w[c] === i; c += 3) {
      const to = this.ctx.ordinal[w[c + 1]!]!;
      const index = hidden++;
      if (to >= 0) sink.edge(EdgeType.Weak, index, to);
    }
    return hidden;
  }

  /** A WeakMap table's entries: weak edges to key and value, and V8's key → value ephemeron edge. */
  private emitEphemerons(i: number, hidden: number, sink: NodeSink): void {
    const eph = this.graph.ephemerons;
    const ord = this.ctx.ordinal;
    for (const k of this.ephemeronsByTable.get(i) ?? []) {
      const key = eph[k + 1]!;
      const value = eph[k + 2]!;
      if (ord[key]! >= 0) sink.edge(EdgeType.Weak, hidden++, ord[key]!);
      if (ord[value]! >= 0) {
        sink.edge(EdgeType.Weak, hidden++, ord[value]!);
        if (ord[key]! >= 0) sink.edge(EdgeType.Internal, this.ephemeronName(i, key, value), ord[value]!);
      }
    }
    for (const k of this.ephemeronsByKey.get(i) ?? []) {
      const value = eph[k + 2]!;
      if (ord[value]! >= 0 && ord[eph[k]!]! >= 0) sink.edge(EdgeType.Internal, this.ephemeronName(eph[k]!, i, value), ord[value]!);
    }
  }

  private ephemeronName(table: number, key: number, value: number): string {
    const k = this.ctx.describe(key);
    const v = this.ctx.describe(value);
    return `part of key (${k.name} @${k.id}) -> value (${v.name} @${v.id}) pair in WeakMap (table @${this.ctx.describe(table).id})`;
  }

  /** JSGlobalObject {native_context, global_proxy} after the JSObject header (V8 src/objects/js-objects.tq). */
  private globalName(j: number): string | undefined {
    const type = this.table.type(j);
    if (type === this.heap.layout.opt.NativeContextType) return 'native_context';
    return this.heap.layout.types.name(type) === 'JS_GLOBAL_PROXY_TYPE' ? 'global_proxy' : undefined;
  }

  /** The global object and its proxy, in a native context's slots (V8 src/objects/contexts.h). */
  private nativeContextSlot(j: number): string | undefined {
    const name = this.heap.layout.types.name(this.table.type(j));
    return name === 'JS_GLOBAL_OBJECT_TYPE' ? 'global_object' : name === 'JS_GLOBAL_PROXY_TYPE' ? 'global_proxy_object' : undefined;
  }

  private boundName(off: number): string | undefined {
    const o = this.heap.layout.opt;
    if (off === o.JSBoundFunction_bound_target_function) return 'bound_function';
    if (off === o.JSBoundFunction_bound_this) return 'bound_this';
    if (off === o.JSBoundFunction_bound_arguments) return 'bindings';
    return undefined;
  }

  /** Context-allocated variables of context `i` by slot offset. */
  private contextVariables(i: number): Map<number, string> | undefined {
    const t = this.table;
    const slots = contextVariableSlots(this.heap, { address: t.address(i), map: t.walker.maps.address(t.mapId(i)), type: t.type(i) });
    return slots === undefined ? undefined : new Map(slots.map((s) => [s.offset, s.name]));
  }

  private kind(type: number): Kind {
    let k = this.kindOf[type] as Kind;
    if (k !== Kind.Unknown) return k;
    const heap = this.heap;
    const o = heap.layout.opt;
    const name = heap.layout.types.name(type);
    const fixed = heap.types.FIXED_ARRAY;
    if (type === heap.types.JS_BOUND_FUNCTION) k = Kind.Bound;
    else if (name === 'JS_GLOBAL_OBJECT_TYPE') k = Kind.Global;
    else if (heap.isJSReceiver(type)) k = Kind.Receiver;
    else if (type === o.NativeContextType) k = Kind.NativeContext;
    else if (o.FirstContextType !== undefined && o.LastContextType !== undefined && type >= o.FirstContextType && type <= o.LastContextType) k = Kind.Context;
    else if (fixed !== undefined && o.LastFixedArrayType !== undefined && type >= fixed && type <= o.LastFixedArrayType && this.graph.slots.rule[type] !== SlotRule.Ephemeron) k = Kind.Fixed;
    else k = Kind.Other;
    this.kindOf[type] = k;
    return k;
  }

  /** Internal field names of an instance type: its class, then JSFunction/JSObject/HeapObject's (metadata class fields). */
  private classFieldNames(type: number): ReadonlyMap<number, string> {
    let m = this.classFields.get(type);
    if (m !== undefined) return m;
    const heap = this.heap;
    const L = heap.layout;
    const out = new Map<number, string>();
    const chain = [L.types.className(type), heap.isJSFunction(type) ? 'JSFunction' : undefined, heap.isJSReceiver(type) ? 'JSObject' : undefined];
    for (const c of chain) {
      if (c === undefined) continue;
      for (const [off, f] of L.classFields.get(c) ?? []) if (!out.has(off) && off % 8 === 0 && !UNNAMED_FIELDS.has(f)) out.set(off, V8_FIELD_NAMES[f] ?? f);
    }
    if (L.opt.JSCollection_table !== undefined && heap.isJSReceiver(type) && /^JS_(MAP|SET)_TYPE$/.test(L.types.name(type) ?? '')) out.set(L.opt.JSCollection_table, 'table');
    if (L.opt.JSWeakCollection_table !== undefined && /^JS_WEAK_(MAP|SET)_TYPE$/.test(L.types.name(type) ?? '')) out.set(L.opt.JSWeakCollection_table, 'table');
    m = out;
    this.classFields.set(type, m);
    return m;
  }
}

function push(m: Map<number, number[]>, key: number, v: number): void {
  const list = m.get(key);
  if (list === undefined) m.set(key, [v]);
  else list.push(v);
}
