// The per-session view of a V8 heap: tagged reads over an AddressSpace, validated heap objects
// (an object's map must itself have the meta map, whose instance type is MAP_TYPE), and the
// session caches (maps, script line ends). Never throws for bad target memory: reads return
// undefined instead, and callers decide what to show.
import type { AddressSpace } from '../../target/address-space.js';
import type { V8Layout } from '../layout/v8-layout.js';
import { knownTypes, type KnownTypes } from './known-types.js';
import type { PositionTableFormat } from './source-position-table.js';
import { decodeTagged, type Tagged } from './tagged.js';

/** Role: a validated heap object handle (flyweight: address, map and instance type). */
export interface HeapObject {
  readonly address: number;
  readonly map: number;
  readonly type: number;
}

/** Options of a V8Heap. */
export interface V8HeapOptions {
  /** Largest number of maps remembered as validated (default 65536). */
  readonly mapCacheSize?: number;
}

/** Role: reads V8 heap objects of one target for one session, with its caches. */
export class V8Heap {
  readonly types: KnownTypes;
  private readonly maps = new Map<number, number | null>();
  /** Script address → line-end positions, computed once per script per session. */
  readonly lineEnds = new Map<number, readonly number[] | null>();
  private readonly mapCacheSize: number;
  /** SharedFunctionInfo address → its decoded description (session cache, owned by function-info). */
  readonly sharedInfos = new Map<number, unknown>();
  /** pc → the Code holding it, or null when not found (session cache, owned by v8/frames). */
  readonly codeKindsByPc = new Map<number, unknown>();
  /** Source position table format, once a table has shown it (session cache). */
  positionTableFormat: PositionTableFormat | undefined;
  /** The object size rules of this layout (owned by v8/objects' objectSize; built on first use). */
  sizeRules: unknown;

  constructor(readonly space: AddressSpace, readonly layout: V8Layout, options: V8HeapOptions = {}) {
    this.types = knownTypes(layout);
    this.mapCacheSize = options.mapCacheSize ?? 65536;
  }

  /** Reads and decodes the tagged word at `address`, or undefined when unreadable. */
  word(address: number): Tagged | undefined {
    const b = this.space.tryRead(address, 8);
    if (b === undefined) return undefined;
    return decodeTagged(b.readUInt32LE(0), b.readUInt32LE(4));
  }

  /** Reads the tagged field at `offset` of the object at `address`. */
  field(address: number, offset: number): Tagged | undefined {
    return this.word(address + offset);
  }

  /** Reads a Smi field, or undefined when it is not a Smi. */
  smiField(address: number, offset: number): number | undefined {
    const t = this.word(address + offset);
    return t?.kind === 'smi' ? t.value : undefined;
  }

  /** Reads a strong-pointer field as a validated heap object, or undefined. */
  objectField(address: number, offset: number): HeapObject | undefined {
    const t = this.word(address + offset);
    return t?.kind === 'heap' ? this.object(t.address) : undefined;
  }

  /** Unsigned little-endian integer of `size` bytes (1, 2 or 4) at `address`, or undefined. */
  uint(address: number, size: 1 | 2 | 4): number | undefined {
    const b = this.space.tryRead(address, size);
    if (b === undefined) return undefined;
    return size === 1 ? b[0]! : size === 2 ? b.readUInt16LE(0) : b.readUInt32LE(0);
  }

  /** Signed little-endian integer of `size` bytes (2 or 4) at `address`, or undefined. */
  int(address: number, size: 2 | 4): number | undefined {
    const b = this.space.tryRead(address, size);
    if (b === undefined) return undefined;
    return size === 2 ? b.readInt16LE(0) : b.readInt32LE(0);
  }

  /** An 8-byte double at `address`, or undefined. */
  double(address: number): number | undefined {
    return this.space.tryRead(address, 8)?.readDoubleLE(0);
  }

  /** A raw pointer-sized value as a number (undefined when unreadable or ≥ 2^53). */
  pointer(address: number): number | undefined {
    const b = this.space.tryRead(address, 8);
    if (b === undefined) return undefined;
    const hi = b.readUInt32LE(4);
    if (hi >= 0x200000) return undefined;
    return hi * 0x1_0000_0000 + b.readUInt32LE(0);
  }

  /** The instance type of a valid map at `map`, or undefined when it is not a map. */
  mapType(map: number): number | undefined {
    const cached = this.maps.get(map);
    if (cached !== undefined) return cached ?? undefined;
    const t = this.checkMap(map);
    if (this.maps.size >= this.mapCacheSize) this.maps.clear();
    this.maps.set(map, t ?? null);
    return t;
  }

  private checkMap(map: number): number | undefined {
    const L = this.layout.req;
    const meta = this.word(map + L.HeapObject_map);
    if (meta?.kind !== 'heap') return undefined;
    const metaMeta = this.word(meta.address + L.HeapObject_map);
    if (metaMeta?.kind !== 'heap' || metaMeta.address !== meta.address) return undefined;
    const metaType = this.uint(meta.address + L.Map_instance_type, 2);
    if (metaType === undefined || metaType !== this.types.MAP) return undefined;
    return this.uint(map + L.Map_instance_type, 2);
  }

  /** A validated heap object at `address` (untagged), or undefined when it is not one. */
  object(address: number): HeapObject | undefined {
    if (address % 8 !== 0) return undefined;
    const m = this.word(address + this.layout.req.HeapObject_map);
    if (m?.kind !== 'heap') return undefined;
    const type = this.mapType(m.address);
    if (type === undefined) return undefined;
    return { address, map: m.address, type };
  }

  /** A validated heap object from a tagged value, or undefined for Smis and garbage. */
  objectOf(t: Tagged | undefined): HeapObject | undefined {
    return t?.kind === 'heap' ? this.object(t.address) : undefined;
  }

  /** Whether an instance type is a string type. */
  isString(type: number): boolean {
    return type < this.types.firstNonString;
  }

  /** Whether an instance type is a JSFunction (or one of its subtypes). */
  isJSFunction(type: number): boolean {
    return type >= this.types.firstJSFunction && type <= this.types.lastJSFunction;
  }

  /** Whether an instance type is a JS receiver (object, array, function, proxy …). */
  isJSReceiver(type: number): boolean {
    const first = this.types.JS_PROXY ?? this.types.JS_OBJECT ?? Infinity;
    return type >= first && type < 0x10000;
  }

  /** Type name (`JS_OBJECT_TYPE`) of an instance type, or `type <n>`. */
  typeName(type: number): string {
    return this.layout.types.name(type) ?? `type ${type}`;
  }

  /**
   * The kind of an Oddball (compare with layout.req.Oddball*), or undefined when `o` is not one.
   * The kind is a Smi field (V8 src/objects/oddball.tq).
   */
  oddballKind(o: HeapObject): number | undefined {
    if (o.type !== this.types.ODDBALL) return undefined;
    return this.smiField(o.address, this.layout.req.Oddball_kind);
  }

  /** Length of a FixedArray-like object (Smi at FixedArrayBase::length), or undefined. */
  fixedArrayLength(address: number): number | undefined {
    const n = this.smiField(address, this.layout.req.FixedArrayBase_length);
    return n !== undefined && n >= 0 && n < 1 << 28 ? n : undefined;
  }

  /** Element `index` of a FixedArray, or undefined when out of bounds or unreadable. */
  fixedArrayGet(address: number, index: number): Tagged | undefined {
    const n = this.fixedArrayLength(address);
    if (n === undefined || index < 0 || index >= n) return undefined;
    return this.word(address + this.layout.req.FixedArray_data + index * 8);
  }
}
