// Names the census group of an object, the way mdb_v8's ::findjsobjects did: JS objects by
// (constructor, own property names), everything else by what V8 calls it (`(string)`,
// `(closure)`, `system / Map` …, the names DevTools' summary view uses). A fast-mode object's
// group follows from its map alone, so each map is named once; dictionary-mode objects list
// their own keys, read per object through a cache of key strings.
import { mapConstructorIfBase, ownConstructorName, prototypeObject, v8ConstructorName } from '../../v8/heap/constructor-name.js';
import { decodeSymbol, dictionaryKeys, fastMapKeys, isDictionaryMap } from '../../v8/heap/named-properties.js';
import { readString } from '../../v8/heap/strings.js';
import type { Tagged } from '../../v8/heap/tagged.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { functionName } from '../../v8/objects/object-class.js';
import type { MapTable } from '../../v8/pages/map-table.js';

/** Role: the coarse kind of a group, for the census footer. */
export type CensusKind =
  | 'object'
  | 'array'
  | 'closure'
  | 'string'
  | 'number'
  | 'binary'
  | 'code'
  | 'map'
  | 'context'
  | 'backing store'
  | 'internal';

/** Every kind, in the order the footer lists them. */
export const CENSUS_KINDS: readonly CensusKind[] = ['object', 'array', 'closure', 'string', 'number', 'binary', 'code', 'map', 'context', 'backing store', 'internal'];

/** Role: one census group: a constructor (or V8 class) and, for JS objects, its own property names. */
export interface CensusGroup {
  readonly constructor: string;
  readonly properties: readonly string[];
  readonly kind: CensusKind;
}

/** Most property names one group lists (a huge dictionary object is cut with `…`). */
const MAX_KEYS = 64;
const KEY_TEXT = 128;

const STRING_GROUPS = { seq: '(string)', internalized: '(internalized string)', cons: '(concatenated string)', sliced: '(sliced string)', thin: '(thin string)', external: '(external string)' };

/** Role: assigns objects to census groups, naming each map once. */
export class GroupNamer {
  readonly groups: CensusGroup[] = [];
  private readonly byKey = new Map<string, number>();
  /** Per map id: its group, -2 for maps whose objects are named one by one, -1 not yet named. */
  private mapGroup = new Int32Array(1024).fill(-1);
  private readonly keyText = new Map<number, string>();
  private readonly chainName = new Map<number, string>();
  private readonly kinds: Map<number, CensusKind>;

  constructor(private readonly heap: V8Heap, private readonly maps: MapTable) {
    this.kinds = kindByType(heap);
  }

  /** Group id of the object at `address` whose map has id `mapId`. */
  groupOf(mapId: number, address: number): number {
    if (mapId >= this.mapGroup.length) {
      const g = new Int32Array(Math.max(mapId + 1, this.mapGroup.length * 2)).fill(-1);
      g.set(this.mapGroup);
      this.mapGroup = g;
    }
    let g = this.mapGroup[mapId]!;
    if (g === -1) {
      g = this.nameMap(mapId);
      this.mapGroup[mapId] = g;
    }
    return g >= 0 ? g : this.objectGroup(mapId, address);
  }

  private intern(constructor: string, properties: readonly string[], kind: CensusKind): number {
    const key = `${constructor}\u0000${properties.join('\u0001')}`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.groups.length;
      this.groups.push({ constructor, properties, kind });
      this.byKey.set(key, id);
    }
    return id;
  }

  private nameMap(mapId: number): number {
    const heap = this.heap;
    const type = this.maps.type(mapId);
    const map = this.maps.address(mapId);
    if (heap.isString(type)) return this.intern(stringGroup(heap, type), [], 'string');
    if (heap.isJSFunction(type) || type === heap.types.JS_BOUND_FUNCTION) return this.intern('(closure)', [], 'closure');
    if (heap.isJSReceiver(type)) {
      if (isDictionaryMap(heap, map) === true) return -2;
      const keys = fastMapKeys(heap, map, MAX_KEYS + 1);
      const names = keys === undefined ? ['<unreadable descriptors>'] : this.keyNames(keys, type);
      // An own Symbol.toStringTag names the object itself, and a primitive wrapper's class is its
      // value's: read per object.
      if (names.some(namesItself) || type === heap.layout.types.value('JS_PRIMITIVE_WRAPPER_TYPE')) return -2;
      return this.intern(this.constructorOf(map, type), names, this.kinds.get(type) ?? 'object');
    }
    return this.intern(systemName(heap, type), [], this.kinds.get(type) ?? 'internal');
  }

  /** The group of a dictionary-mode object, or of one whose own properties name it. */
  private objectGroup(mapId: number, address: number): number {
    const heap = this.heap;
    const type = this.maps.type(mapId);
    const map = this.maps.address(mapId);
    const obj: HeapObject = { address, map, type };
    const dict = isDictionaryMap(heap, map) === true;
    const keys = dict ? dictionaryKeys(heap, obj, MAX_KEYS + 1) : fastMapKeys(heap, map, MAX_KEYS + 1);
    const names = keys === undefined ? [dict ? '<unreadable dictionary>' : '<unreadable descriptors>'] : this.keyNames(keys, type);
    const ctor = names.some(namesItself) ? v8ConstructorName(heap, obj, (fn) => functionName(heap, fn), className(heap, type, obj)) : this.constructorOf(map, type, obj);
    return this.intern(ctor, names, this.kinds.get(type) ?? 'object');
  }

  /**
   * V8's constructor name for objects of this map that have no own `constructor` or
   * Symbol.toStringTag (JSReceiver::GetConstructorName): from the map, else from the prototype
   * chain (cached per prototype), else the class name.
   */
  private constructorOf(map: number, type: number, obj?: HeapObject): string {
    const heap = this.heap;
    const nameOf = (fn: HeapObject): string | undefined => functionName(heap, fn);
    const fromMap = mapConstructorIfBase(heap, map, nameOf);
    if (fromMap !== undefined) return fromMap;
    const proto = prototypeObject(heap, map);
    if (proto === undefined) return className(heap, type, obj);
    const wrapper = type === heap.layout.types.value('JS_PRIMITIVE_WRAPPER_TYPE');
    let name = wrapper ? undefined : this.chainName.get(proto.address);
    if (name === undefined) {
      name = className(heap, type, obj);
      let current: HeapObject | undefined = proto;
      for (let depth = 0; current !== undefined && depth < 64; depth++) {
        const own = ownConstructorName(heap, current, nameOf);
        if (own !== undefined) {
          name = own;
          break;
        }
        current = prototypeObject(heap, current.map);
      }
      if (!wrapper) this.chainName.set(proto.address, name);
    }
    return name;
  }

  private keyNames(keys: readonly Tagged[], type: number): string[] {
    const out: string[] = [];
    const isArray = type === this.heap.types.JS_ARRAY;
    for (const k of keys) {
      if (out.length === MAX_KEYS) {
        out.push('…');
        break;
      }
      const text = this.keyName(k);
      // An array's `length` is part of every array, not of its shape.
      if (isArray && text === 'length') continue;
      out.push(text);
    }
    return out;
  }

  private keyName(k: Tagged): string {
    if (k.kind !== 'heap') return '<corrupt key>';
    let text = this.keyText.get(k.address);
    if (text === undefined) {
      const o = this.heap.object(k.address);
      if (o === undefined) text = '<corrupt key>';
      else if (this.heap.isString(o.type)) text = readString(this.heap, o, { maxLength: KEY_TEXT })?.text ?? '<corrupt key>';
      else if (o.type === this.heap.types.SYMBOL) {
        const s = decodeSymbol(this.heap, o);
        text = s.isPrivate ? `#${s.description ?? ''}` : `[Symbol(${s.description ?? ''})]`;
      } else text = '<corrupt key>';
      this.keyText.set(k.address, text);
    }
    return text;
  }
}

/** Whether a property name makes V8 name the object from its own properties (only Symbol.toStringTag does). */
function namesItself(key: string): boolean {
  return key === '[Symbol(Symbol.toStringTag)]';
}

/**
 * V8's JSReceiver::class_name for the common instance types (V8 src/objects/js-objects.cc); a
 * primitive wrapper is named by its value's type, which `wrapped` reads when there is an object.
 */
function className(heap: V8Heap, type: number, wrapped?: HeapObject): string {
  if (heap.isJSFunction(type)) return 'Function';
  const name = heap.layout.types.name(type) ?? '';
  if (name === 'JS_PRIMITIVE_WRAPPER_TYPE' && wrapped !== undefined) return wrapperClass(heap, wrapped);
  const byType: Record<string, string> = {
    JS_ARRAY_TYPE: 'Array',
    JS_ARRAY_BUFFER_TYPE: 'ArrayBuffer',
    JS_ARRAY_ITERATOR_TYPE: 'ArrayIterator',
    JS_DATE_TYPE: 'Date',
    JS_ERROR_TYPE: 'Error',
    JS_GENERATOR_OBJECT_TYPE: 'Generator',
    JS_MAP_TYPE: 'Map',
    JS_SET_TYPE: 'Set',
    JS_WEAK_MAP_TYPE: 'WeakMap',
    JS_WEAK_SET_TYPE: 'WeakSet',
    JS_PROMISE_TYPE: 'Promise',
    JS_REG_EXP_TYPE: 'RegExp',
    JS_DATA_VIEW_TYPE: 'DataView',
    JS_ARGUMENTS_OBJECT_TYPE: 'Arguments',
    JS_WEAK_REF_TYPE: 'WeakRef',
    JS_GLOBAL_OBJECT_TYPE: 'global',
  };
  return byType[name] ?? 'Object';
}

/** String, Number, Boolean, Symbol or BigInt: the class of a primitive wrapper's value. */
function wrapperClass(heap: V8Heap, o: HeapObject): string {
  const at = heap.layout.opt.JSPrimitiveWrapper_value;
  const v = at === undefined ? undefined : heap.word(o.address + at);
  if (v?.kind === 'smi') return 'Number';
  const p = heap.objectOf(v);
  if (p === undefined) return 'Object';
  if (heap.isString(p.type)) return 'String';
  if (p.type === heap.types.HEAP_NUMBER) return 'Number';
  if (p.type === heap.types.SYMBOL) return 'Symbol';
  if (p.type === heap.layout.opt.BigIntType) return 'BigInt';
  return heap.oddballKind(p) !== undefined ? 'Boolean' : 'Object';
}

function stringGroup(heap: V8Heap, type: number): string {
  const L = heap.layout.req;
  const rep = type & L.StringRepresentationMask;
  if (rep === L.ConsStringTag) return STRING_GROUPS.cons;
  if (rep === L.SlicedStringTag) return STRING_GROUPS.sliced;
  if (rep === L.ThinStringTag) return STRING_GROUPS.thin;
  if (rep === L.ExternalStringTag) return STRING_GROUPS.external;
  const name = heap.layout.types.name(type) ?? '';
  return name.includes('INTERNALIZED') ? STRING_GROUPS.internalized : STRING_GROUPS.seq;
}

/** `system / Map`, `(heap number)` …: what a non-JS object is called, as DevTools calls it. */
function systemName(heap: V8Heap, type: number): string {
  const o = heap.layout.opt;
  if (type === heap.types.HEAP_NUMBER) return '(heap number)';
  if (type === heap.types.SYMBOL) return '(symbol)';
  if (type === o.BigIntType) return '(bigint)';
  if (type === heap.types.ODDBALL || type === heap.types.HOLE) return '(oddball)';
  const cls = heap.layout.types.className(type);
  if (cls !== undefined) return `system / ${cls}`;
  const fixed = heap.types.FIXED_ARRAY;
  if (fixed !== undefined && o.LastFixedArrayType !== undefined && type > fixed && type <= o.LastFixedArrayType) return 'system / HashTable';
  if (o.FirstContextType !== undefined && o.LastContextType !== undefined && type >= o.FirstContextType && type <= o.LastContextType) {
    return type === o.NativeContextType ? 'system / NativeContext' : 'system / Context';
  }
  if (type === o.TransitionArrayType) return 'system / TransitionArray';
  if (type === o.FeedbackMetadataType) return 'system / FeedbackMetadata';
  return `system / type ${type}`;
}

/** The census kind of the instance types that are not plain JS objects or internals. */
function kindByType(heap: V8Heap): Map<number, CensusKind> {
  const t = heap.layout.types;
  const o = heap.layout.opt;
  const out = new Map<number, CensusKind>();
  const put = (kind: CensusKind, ...names: string[]): void => {
    for (const n of names) {
      const v = t.value(n);
      if (v !== undefined) out.set(v, kind);
    }
  };
  put('array', 'JS_ARRAY_TYPE');
  put('binary', 'JS_ARRAY_BUFFER_TYPE', 'JS_TYPED_ARRAY_TYPE', 'JS_DATA_VIEW_TYPE', 'JS_RAB_GSAB_DATA_VIEW_TYPE', 'JS_DETACHED_TYPED_ARRAY_TYPE');
  put('number', 'HEAP_NUMBER_TYPE');
  put('code', 'CODE_TYPE', 'INSTRUCTION_STREAM_TYPE', 'BYTECODE_ARRAY_TYPE', 'CODE_WRAPPER_TYPE', 'BYTECODE_WRAPPER_TYPE');
  put('map', 'MAP_TYPE');
  put('backing store', 'FIXED_ARRAY_TYPE', 'FIXED_DOUBLE_ARRAY_TYPE', 'PROPERTY_ARRAY_TYPE', 'BYTE_ARRAY_TYPE', 'SLOPPY_ARGUMENTS_ELEMENTS_TYPE', 'NUMBER_DICTIONARY_TYPE', 'NAME_DICTIONARY_TYPE', 'ORDERED_HASH_MAP_TYPE', 'ORDERED_HASH_SET_TYPE');
  const fixed = heap.types.FIXED_ARRAY;
  if (fixed !== undefined && o.LastFixedArrayType !== undefined) for (let v = fixed; v <= o.LastFixedArrayType; v++) out.set(v, 'backing store');
  if (o.FirstContextType !== undefined && o.LastContextType !== undefined) for (let v = o.FirstContextType; v <= o.LastContextType; v++) out.set(v, 'context');
  return out;
}
