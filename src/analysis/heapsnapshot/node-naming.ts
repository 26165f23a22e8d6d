// The type and name of a heap object's node, as V8's HeapSnapshotGenerator gives them
// (V8HeapExplorer::AddEntry, GetSystemEntryType, GetSystemEntryName in V8
// src/profiler/heap-snapshot-generator.cc): JS objects by the census's constructor name, closures
// by their function's own name, strings by their first 1024 characters, V8's internal objects as
// `system / <Class>` with the snapshot type V8 files them under, and the array tags V8 sets.
import { describeShared, sharedOf } from '../../v8/heap/function-info.js';
import { isHoleObject } from '../../v8/heap/hole.js';
import { decodeSymbol } from '../../v8/heap/named-properties.js';
import { scriptName } from '../../v8/heap/script.js';
import { readString } from '../../v8/heap/strings.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import type { HeapCensus } from '../census/heap-census.js';
import { NodeType } from './snapshot-model.js';

/** V8's --heap-snapshot-string-limit default: string nodes are named by this many characters. */
export const STRING_NAME_LIMIT = 1024;

/** Role: a tag V8 puts on a backing array from its owner (TagObject), set before naming. */
export const enum ArrayTag {
  None = 0,
  ObjectProperties,
  ObjectElements,
  BoundArguments,
  ConstantPool,
}

const TAG_NAMES = ['', '(object properties)', '(object elements)', '(bound arguments)', '(constant pool)'];

/** How the objects of one instance type are named. */
const enum Naming {
  Census = 0,
  Closure,
  Bound,
  RegExp,
  String,
  Symbol,
  Shared,
  Script,
  /** A name fixed per instance type (`heap number`, `system / Oddball`, `` for arrays …). */
  Fixed,
}

/** Instance types V8 files as `code` (GetSystemEntryType), by type name. */
const CODE_TYPES = new Set([
  'ALLOCATION_SITE_TYPE', 'ARRAY_BOILERPLATE_DESCRIPTION_TYPE', 'BYTECODE_ARRAY_TYPE', 'CLOSURE_FEEDBACK_CELL_ARRAY_TYPE', 'CODE_TYPE', 'CODE_WRAPPER_TYPE',
  'BYTECODE_WRAPPER_TYPE', 'FEEDBACK_CELL_TYPE', 'FEEDBACK_METADATA_TYPE', 'FEEDBACK_VECTOR_TYPE', 'INSTRUCTION_STREAM_TYPE', 'INTERPRETER_DATA_TYPE',
  'LOAD_HANDLER_TYPE', 'OBJECT_BOILERPLATE_DESCRIPTION_TYPE', 'PREPARSE_DATA_TYPE', 'REG_EXP_BOILERPLATE_DESCRIPTION_TYPE', 'SCOPE_INFO_TYPE',
  'STORE_HANDLER_TYPE', 'TEMPLATE_OBJECT_DESCRIPTION_TYPE', 'TRUSTED_BYTE_ARRAY_TYPE', 'SHARED_FUNCTION_INFO_TYPE', 'SCRIPT_TYPE',
]);
/** Instance types V8 files as `object shape`. */
const SHAPE_TYPES = new Set(['MAP_TYPE', 'DESCRIPTOR_ARRAY_TYPE', 'STRONG_DESCRIPTOR_ARRAY_TYPE', 'TRANSITION_ARRAY_TYPE', 'PROTOTYPE_INFO_TYPE', 'ENUM_CACHE_TYPE']);

/** Role: a node's type and name; a string node's name (its contents) is read later, by stringName. */
export interface NodeName {
  readonly type: NodeType;
  readonly name: string | undefined;
}

/** Role: names the nodes of one census, V8's way; per-type decisions are made once. */
export class SnapshotNodeNamer {
  private readonly heap: V8Heap;
  private readonly typeOf = new Int8Array(1 << 16).fill(-1);
  private readonly namingOf = new Uint8Array(1 << 16);
  private readonly closureNames = new Map<number, string>();
  private readonly fixedNames = new Map<number, string>();

  constructor(private readonly census: HeapCensus) {
    this.heap = census.heap;
  }

  /** Type and name of object `i`; `readOnly` when it lies in the read-only space; `tag` from its owner. */
  name(i: number, readOnly: boolean, tag: ArrayTag): NodeName {
    const t = this.census.table;
    const type = t.type(i);
    const heap = this.heap;
    const o: HeapObject = { address: t.address(i), map: t.walker.maps.address(t.mapId(i)), type };
    if (this.typeOf[type] === -1) this.classify(o);
    if (tag !== ArrayTag.None) return { type: tag === ArrayTag.ConstantPool ? NodeType.Code : NodeType.Array, name: TAG_NAMES[tag]! };
    let nodeType = this.typeOf[type] as NodeType;
    if (nodeType === NodeType.ObjectShape && readOnly && type === heap.types.MAP) nodeType = NodeType.Hidden;
    switch (this.namingOf[type] as Naming) {
      case Naming.Closure:
        return { type: nodeType, name: this.closureName(o) };
      case Naming.Bound:
        return { type: nodeType, name: 'native_bind' };
      case Naming.RegExp: {
        const at = heap.layout.opt.JSRegExp_source;
        const src = at === undefined ? undefined : heap.objectField(o.address, at);
        const text = src !== undefined && heap.isString(src.type) ? readString(heap, src, { maxLength: STRING_NAME_LIMIT })?.text : undefined;
        return { type: nodeType, name: text ?? this.groupName(i) };
      }
      case Naming.String:
        return { type: nodeType, name: undefined };
      case Naming.Symbol:
        return decodeSymbol(heap, o).isPrivate ? { type: NodeType.Hidden, name: 'private symbol' } : { type: nodeType, name: 'symbol' };
      case Naming.Shared: {
        const name = describeShared(heap, o).name;
        return { type: nodeType, name: name === '' ? '(shared function info)' : name };
      }
      case Naming.Script:
        return { type: nodeType, name: scriptName(heap, o, STRING_NAME_LIMIT) ?? '' };
      case Naming.Fixed:
        return { type: nodeType, name: this.fixedNames.get(type) ?? '' };
      default:
        return { type: nodeType, name: this.groupName(i) };
    }
  }

  /** A string node's name: its first 1024 characters, or undefined when unreadable. */
  stringName(i: number): string | undefined {
    const t = this.census.table;
    return readString(this.heap, { address: t.address(i), map: t.walker.maps.address(t.mapId(i)), type: t.type(i) }, { maxLength: STRING_NAME_LIMIT })?.text;
  }

  private groupName(i: number): string {
    return this.census.groups[this.census.groupOf[i]!]!.constructor;
  }

  /** A closure's name: its SharedFunctionInfo's own name, cached per SharedFunctionInfo. */
  private closureName(fn: HeapObject): string {
    const sfi = sharedOf(this.heap, fn);
    if (sfi === undefined) return '';
    let name = this.closureNames.get(sfi.address);
    if (name === undefined) {
      name = describeShared(this.heap, sfi).name;
      this.closureNames.set(sfi.address, name);
    }
    return name;
  }

  private classify(obj: HeapObject): void {
    const heap = this.heap;
    const type = obj.type;
    const L = heap.layout;
    const name = L.types.name(type) ?? '';
    const o = L.opt;
    const set = (t: NodeType, n: Naming, fixedName?: string): void => {
      this.typeOf[type] = t;
      this.namingOf[type] = n;
      if (fixedName !== undefined) this.fixedNames.set(type, fixedName);
    };
    const fixed = heap.types.FIXED_ARRAY;
    const inFixedRange = fixed !== undefined && o.LastFixedArrayType !== undefined && type >= fixed && type <= o.LastFixedArrayType;
    const isContext = o.FirstContextType !== undefined && o.LastContextType !== undefined && type >= o.FirstContextType && type <= o.LastContextType;
    if (heap.isString(type)) {
      const rep = type & L.req.StringRepresentationMask;
      if (rep === L.req.ConsStringTag) set(NodeType.ConsString, Naming.Fixed, '(concatenated string)');
      else if (rep === L.req.SlicedStringTag) set(NodeType.SlicedString, Naming.Fixed, '(sliced string)');
      else set(NodeType.String, Naming.String);
    } else if (heap.isJSFunction(type)) set(NodeType.Closure, Naming.Closure);
    else if (type === heap.types.JS_BOUND_FUNCTION) set(NodeType.Closure, Naming.Bound);
    else if (name === 'JS_REG_EXP_TYPE') set(NodeType.RegExp, Naming.RegExp);
    else if (heap.isJSReceiver(type)) set(NodeType.Object, Naming.Census);
    else if (type === heap.types.SYMBOL) set(NodeType.Symbol, Naming.Symbol);
    else if (type === o.BigIntType) set(NodeType.BigInt, Naming.Fixed, 'bigint');
    else if (type === heap.types.HEAP_NUMBER) set(NodeType.Number, Naming.Fixed, 'heap number');
    else if (type === heap.types.ODDBALL) set(NodeType.Hidden, Naming.Fixed, 'system / Oddball');
    else if (isHoleObject(heap, obj)) set(NodeType.Hidden, Naming.Fixed, 'system / Hole');
    else if (type === heap.types.SHARED_FUNCTION_INFO) set(NodeType.Code, Naming.Shared);
    else if (type === heap.types.SCRIPT) set(NodeType.Code, Naming.Script);
    else if (type === heap.types.CODE || type === heap.types.INSTRUCTION_STREAM) set(NodeType.Code, Naming.Fixed);
    else if (type === o.NativeContextType) set(NodeType.Hidden, Naming.Census);
    else if (isContext) set(NodeType.Object, Naming.Census);
    else if (CODE_TYPES.has(name) || type === o.FeedbackMetadataType || heap.types.uncompiledData.has(type) || name.startsWith('TURBOFAN_')) set(NodeType.Code, Naming.Census);
    else if (inFixedRange || type === heap.types.FIXED_DOUBLE_ARRAY || type === heap.types.BYTE_ARRAY) set(NodeType.Array, Naming.Fixed);
    else if (SHAPE_TYPES.has(name) || type === o.TransitionArrayType) set(NodeType.ObjectShape, Naming.Census);
    else set(NodeType.Hidden, Naming.Census);
  }
}
