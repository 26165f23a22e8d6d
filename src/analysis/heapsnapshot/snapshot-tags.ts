// Two facts about objects that V8's snapshot derives from other objects, found in one pass over
// the reference graph before any node is written: the tag a backing array gets from its owner
// (V8HeapExplorer::TagObject: `(object properties)`, `(object elements)`, `(bound arguments)`),
// and the objects V8 leaves out of internal and hidden edges (IsEssentialObject: oddballs, the
// hole, and the read-only space's empty arrays).
import { isHoleObject } from '../../v8/heap/hole.js';
import type { HeapGraph } from '../../v8/pages/heap-graph.js';
import { ArrayTag } from './node-naming.js';

/** The ArrayTag of each object (by object index): set from the JS objects in the snapshot. */
export function arrayTags(graph: HeapGraph, ordinal: Int32Array, readOnly: Uint8Array): Uint8Array {
  const table = graph.table;
  const heap = table.walker.heap;
  const o = heap.layout.opt;
  const tags = new Uint8Array(table.count);
  const fixed = heap.types.FIXED_ARRAY;
  const isArray = (t: number): boolean => t === heap.types.FIXED_DOUBLE_ARRAY || (fixed !== undefined && o.LastFixedArrayType !== undefined && t >= fixed && t <= o.LastFixedArrayType);
  const tag = (j: number, t: ArrayTag): void => {
    if (readOnly[j] === 0 && tags[j] === 0) tags[j] = t;
  };
  const bound = heap.types.JS_BOUND_FUNCTION;
  for (let i = 0; i < table.count; i++) {
    if (ordinal[i]! < 0) continue;
    const type = table.type(i);
    if (!heap.isJSReceiver(type)) continue;
    for (let k = graph.edgeStart[i]!; k < graph.edgeStart[i + 1]!; k++) {
      const off = graph.edgeOffset[k]!;
      const j = graph.edgeTarget[k]!;
      const jt = table.type(j);
      if (off === o.JSReceiver_raw_properties_or_hash && jt !== heap.types.PROPERTY_ARRAY && isArray(jt)) tag(j, ArrayTag.ObjectProperties);
      else if (off === o.JSObject_elements && isArray(jt)) tag(j, ArrayTag.ObjectElements);
      else if (type === bound && off === o.JSBoundFunction_bound_arguments && isArray(jt)) tag(j, ArrayTag.BoundArguments);
    }
  }
  return tags;
}

/**
 * The objects V8 draws no internal or hidden edge to: oddballs, holes, read-only empty arrays and
 * the maps of fillers, free space, FixedArrays, Cells, PropertyCells and SharedFunctionInfos.
 */
export function nonEssentialObjects(graph: HeapGraph, readOnly: Uint8Array): Set<number> {
  const table = graph.table;
  const heap = table.walker.heap;
  const o = heap.layout.opt;
  const out = new Set<number>();
  const fixed = heap.types.FIXED_ARRAY;
  const arrayLike = new Set([heap.types.FIXED_DOUBLE_ARRAY, heap.types.BYTE_ARRAY, heap.types.DESCRIPTOR_ARRAY, heap.layout.types.value('WEAK_FIXED_ARRAY_TYPE'), heap.layout.types.value('WEAK_ARRAY_LIST_TYPE')]);
  const names = heap.layout.types;
  const plainMaps = new Set([o.FillerType, o.FreeSpaceType, fixed, names.value('CELL_TYPE'), names.value('PROPERTY_CELL_TYPE'), heap.types.SHARED_FUNCTION_INFO]);
  for (let i = 0; i < table.count; i++) {
    const type = table.type(i);
    if (type === heap.types.MAP && readOnly[i] === 1) {
      const described = heap.uint(table.address(i) + heap.layout.req.Map_instance_type, 2);
      if (plainMaps.has(described)) out.add(i);
      continue;
    }
    if (type === heap.types.ODDBALL || type === heap.types.HOLE) {
      out.add(i);
      continue;
    }
    if (readOnly[i] === 0) continue;
    const isArray = arrayLike.has(type) || (fixed !== undefined && o.LastFixedArrayType !== undefined && type >= fixed && type <= o.LastFixedArrayType);
    if (isArray && (heap.smiField(table.address(i), heap.layout.req.FixedArrayBase_length) === 0 || table.size(i) <= 16)) out.add(i);
    else if (heap.layout.types.name(type) === undefined && isHoleObject(heap, { address: table.address(i), map: table.walker.maps.address(table.mapId(i)), type })) out.add(i);
  }
  return out;
}
