// The `snapshot.meta` of a .heapsnapshot as the V8 of each Node major writes it, as data rows
// (measured from v8.writeHeapSnapshot() of Node 18.20.8, 20.20.2, 22.23.5, 24.22.3 and 26.12.1;
// V8 src/profiler/heap-snapshot-generator.cc HeapSnapshotJSONSerializer::SerializeSnapshot).
// Node and edge type names keep V8's order, so a type's index is the same on every version.
import { EDGE_TYPES, NODE_TYPES } from '../../analysis/heapsnapshot/snapshot-model.js';

/** Role: what differs between the snapshots of two V8 versions. */
export interface SnapshotFormat {
  /** The V8 major this row was measured on. */
  readonly v8Major: number;
  readonly nodeFields: readonly string[];
  /** How many of NODE_TYPES the version lists. */
  readonly nodeTypeCount: number;
  /** The type row after the node type list (V8 13 lists one `number` more than it has fields). */
  readonly nodeFieldTypes: readonly string[];
  /** `snapshot.extra_native_bytes` (V8 13+). */
  readonly extraNativeBytes: boolean;
  /** Objects in the read-only space have self_size 0 (V8 13+: shared by every isolate). */
  readonly readOnlySizeZero: boolean;
  /** An external string's self_size includes its characters outside the heap (V8 13+). */
  readonly externalStringPayload: boolean;
  /**
   * The root's shortcuts go to the native contexts, which hold the global object as
   * `global_object`; global objects are named `global (global*)`, their proxies `global (global)` (V8 14).
   */
  readonly nativeContextRoots: boolean;
}

const SEVEN_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'];
const SIX_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'];
const numbers = (n: number): string[] => ['string', ...Array<string>(n).fill('number')];

/** One row per V8 major of the supported Node majors (18: V8 10, 20: 11, 22: 12, 24: 13, 26: 14). */
const FORMATS: readonly SnapshotFormat[] = [
  { v8Major: 10, nodeFields: SEVEN_FIELDS, nodeTypeCount: 14, nodeFieldTypes: numbers(5), extraNativeBytes: false, readOnlySizeZero: false, externalStringPayload: false, nativeContextRoots: false },
  { v8Major: 11, nodeFields: SEVEN_FIELDS, nodeTypeCount: 16, nodeFieldTypes: numbers(5), extraNativeBytes: false, readOnlySizeZero: false, externalStringPayload: false, nativeContextRoots: false },
  { v8Major: 12, nodeFields: SEVEN_FIELDS, nodeTypeCount: 15, nodeFieldTypes: numbers(5), extraNativeBytes: false, readOnlySizeZero: false, externalStringPayload: false, nativeContextRoots: false },
  { v8Major: 13, nodeFields: SIX_FIELDS, nodeTypeCount: 15, nodeFieldTypes: numbers(5), extraNativeBytes: true, readOnlySizeZero: true, externalStringPayload: true, nativeContextRoots: false },
  { v8Major: 14, nodeFields: SIX_FIELDS, nodeTypeCount: 15, nodeFieldTypes: numbers(4), extraNativeBytes: true, readOnlySizeZero: true, externalStringPayload: true, nativeContextRoots: true },
];

/** The format of the V8 version `v8Version` (`13.6.233.17-node.63`); the nearest row when not measured. */
export function snapshotFormat(v8Version: string | undefined): SnapshotFormat {
  const major = Number.parseInt(v8Version ?? '', 10);
  if (!Number.isFinite(major)) return FORMATS[FORMATS.length - 1]!;
  return FORMATS.find((f) => f.v8Major === major) ?? (major < FORMATS[0]!.v8Major ? FORMATS[0]! : FORMATS[FORMATS.length - 1]!);
}

/** The `snapshot.meta` object of a format. */
export function snapshotMeta(f: SnapshotFormat): Record<string, unknown> {
  return {
    node_fields: f.nodeFields,
    node_types: [NODE_TYPES.slice(0, f.nodeTypeCount), ...f.nodeFieldTypes],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  };
}
