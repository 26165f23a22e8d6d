// Reads a heap object's slots back out of the reference graph (target and offset of each strong
// slot) for the snapshot's edges: one field's target, a map's prototype, the values of a
// PropertyArray, NameDictionary, GlobalDictionary or elements store with their keys or indexes,
// and a map's descriptor-held constants. Dictionary entries are placed from the table's own
// length and capacity (V8 src/objects/hash-table.h: {nof, deleted, capacity, prefix…, entries}).
import { isHoleObject } from '../../v8/heap/hole.js';
import type { Tagged } from '../../v8/heap/tagged.js';
import type { V8Heap } from '../../v8/heap/v8-heap.js';
import type { HeapGraph } from '../../v8/pages/heap-graph.js';
import type { ObjectTable } from '../../v8/pages/object-table.js';
import type { MapFieldReader } from './js-object-fields.js';

/** PropertyCell {name, property_details_raw, value} (V8 src/objects/property-cell.tq). */
const CELL_NAME = 8;
const CELL_VALUE = 24;
/** Dictionaries' entry sizes: {key, value, details} (NameDictionary, NumberDictionary). */
const ENTRY = 3;

/** Role: a descriptor-held property of a map, resolved to object indexes (-1: none). */
export interface ResolvedConstant {
  readonly name: string;
  readonly target: number;
  readonly getter: number;
  readonly setter: number;
}

/** Role: slot queries over the graph of one heap, with per-map caches. */
export class SlotLookup {
  private readonly table: ObjectTable;
  private readonly heap: V8Heap;
  private readonly prototypes = new Map<number, number>();
  private readonly constantsByMap = new Map<number, readonly ResolvedConstant[]>();
  private readonly holes = new Map<number, boolean>();

  constructor(private readonly graph: HeapGraph, private readonly fields: MapFieldReader) {
    this.table = graph.table;
    this.heap = graph.table.walker.heap;
  }

  /** The object slot `off` of object `i` points at, or -1. */
  target(i: number, off: number | undefined): number {
    if (off === undefined) return -1;
    const g = this.graph;
    for (let k = g.edgeStart[i]!; k < g.edgeStart[i + 1]!; k++) if (g.edgeOffset[k] === off) return g.edgeTarget[k]!;
    return -1;
  }

  /** The object index of object `i`'s map, or -1. */
  mapOf(i: number): number {
    return this.target(i, 0);
  }

  /** The prototype of the map object `mapIndex`, or -1. */
  prototypeOf(mapIndex: number): number {
    let p = this.prototypes.get(mapIndex);
    if (p === undefined) {
      p = this.target(mapIndex, this.heap.layout.opt.Map_prototype);
      this.prototypes.set(mapIndex, p);
    }
    return p;
  }

  /** Whether object `j` is the hole. */
  isHole(j: number): boolean {
    const type = this.table.type(j);
    if (type !== this.heap.types.HOLE && type !== this.heap.types.ODDBALL && this.heap.layout.types.name(type) !== undefined) return false;
    let h = this.holes.get(j);
    if (h === undefined) {
      h = isHoleObject(this.heap, { address: this.table.address(j), map: this.table.walker.maps.address(this.table.mapId(j)), type });
      this.holes.set(j, h);
    }
    return h;
  }

  /** Each slot of `s` at or after byte `from`, by its index from there. */
  forSlots(s: number, from: number, fn: (index: number, j: number) => void): void {
    const g = this.graph;
    for (let k = g.edgeStart[s]!; k < g.edgeStart[s + 1]!; k++) {
      const off = g.edgeOffset[k]!;
      if (off >= from) fn((off - from) / 8, g.edgeTarget[k]!);
    }
  }

  /** The values of the NameDictionary `d` with their key words. */
  forDictionary(d: number, fn: (key: Tagged | undefined, j: number) => void): void {
    const start = this.entriesStart(d, ENTRY);
    if (start === undefined) return;
    const a = this.table.address(d);
    this.forSlots(d, this.heap.layout.req.FixedArray_data, (index, j) => {
      if (index >= start && (index - start) % ENTRY === 1) fn(this.heap.word(a + this.heap.layout.req.FixedArray_data + (index - 1) * 8), j);
    });
  }

  /** The elements of the store `e` (a FixedArray, or a NumberDictionary) by index, holes left out. */
  forElements(e: number, fn: (index: number, j: number) => void): void {
    const heap = this.heap;
    const type = this.table.type(e);
    const data = heap.layout.req.FixedArray_data;
    if (type === heap.types.FIXED_ARRAY) {
      this.forSlots(e, data, (index, j) => {
        if (!this.isHole(j)) fn(index, j);
      });
      return;
    }
    if (heap.layout.types.name(type) !== 'NUMBER_DICTIONARY_TYPE') return;
    const start = this.entriesStart(e, ENTRY);
    if (start === undefined) return;
    const a = this.table.address(e);
    this.forSlots(e, data, (index, j) => {
      if (index < start || (index - start) % ENTRY !== 1) return;
      const key = heap.word(a + data + (index - 1) * 8);
      if (key?.kind === 'smi') fn(key.value, j);
    });
  }

  /** The global variables of the GlobalDictionary `d`: each PropertyCell's name and value. */
  forGlobalCells(d: number, fn: (name: string, j: number) => void): void {
    const cellType = this.heap.layout.types.value('PROPERTY_CELL_TYPE');
    this.forSlots(d, this.heap.layout.req.FixedArray_data, (_index, c) => {
      if (this.table.type(c) !== cellType) return;
      const value = this.target(c, CELL_VALUE);
      if (value >= 0 && !this.isHole(value)) fn(this.fields.keyName(this.heap.word(this.table.address(c) + CELL_NAME)), value);
    });
  }

  /** The descriptor-held properties of map `mapId` (object `mapIndex`), resolved once per map. */
  constants(mapIndex: number, mapId: number): readonly ResolvedConstant[] {
    let c = this.constantsByMap.get(mapId);
    if (c !== undefined) return c;
    const heap = this.heap;
    const out: ResolvedConstant[] = [];
    if (mapIndex >= 0) {
      for (const k of this.fields.fields(this.table.walker.maps.address(mapId)).constants) {
        if (k.value.kind !== 'heap') continue;
        const target = this.table.indexOf(k.value.address);
        if (target < 0) continue;
        const pair = k.accessor && this.table.type(target) === heap.layout.types.value('ACCESSOR_PAIR_TYPE');
        // V8 draws accessor properties only for AccessorPairs (JS getters and setters), not for AccessorInfos.
        if (k.accessor && !pair) continue;
        const getter = pair ? this.target(target, heap.layout.opt.AccessorPair_getter) : -1;
        const setter = pair ? this.target(target, heap.layout.opt.AccessorPair_setter) : -1;
        out.push({ name: k.name, target, getter: getter >= 0 && this.isFunction(getter) ? getter : -1, setter: setter >= 0 && this.isFunction(setter) ? setter : -1 });
      }
    }
    c = out;
    this.constantsByMap.set(mapId, c);
    return c;
  }

  private isFunction(j: number): boolean {
    return this.heap.isJSFunction(this.table.type(j));
  }

  /** Slot index of a HashTable's first entry (length − capacity × entry size), or undefined. */
  private entriesStart(d: number, entrySize: number): number | undefined {
    const heap = this.heap;
    const a = this.table.address(d);
    const length = heap.fixedArrayLength(a);
    const capacity = heap.smiField(a, heap.layout.req.FixedArray_data + 16);
    if (length === undefined || capacity === undefined || capacity < 0 || capacity * entrySize > length) return undefined;
    return length - capacity * entrySize;
  }
}
