// The graph a .heapsnapshot serialises, as the writer pulls it: node by node, each node's fields
// and then its edges, so no layer ever holds the whole snapshot. Node and edge types are V8's
// (HeapEntry::Type, HeapGraphEdge::Type in V8 src/profiler/heap-snapshot-generator.h), numbered
// in V8's order, which every version shares (`wasm object` is last and only on V8 11).

/** Role: the node type names in V8's order; a NodeType is an index into it. */
export const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape', 'wasm object'] as const;

/** Role: the edge type names in V8's order; an EdgeType is an index into it. */
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'] as const;

/** Role: a node type (index into NODE_TYPES). */
export const enum NodeType {
  Hidden = 0,
  Array = 1,
  String = 2,
  Object = 3,
  Code = 4,
  Closure = 5,
  RegExp = 6,
  Number = 7,
  Native = 8,
  Synthetic = 9,
  ConsString = 10,
  SlicedString = 11,
  Symbol = 12,
  BigInt = 13,
  ObjectShape = 14,
}

/** Role: an edge type (index into EDGE_TYPES). Element and hidden edges carry a number, the rest a name. */
export const enum EdgeType {
  Context = 0,
  Element = 1,
  Property = 2,
  Internal = 3,
  Hidden = 4,
  Shortcut = 5,
  Weak = 6,
}

/**
 * Role: receives one node, then its edges (`to` is the target's node ordinal, not its offset).
 * An edge's name may be given as a number for any type: the index of element and hidden edges,
 * the decimal name of the others (`internal` "3").
 */
export interface NodeSink {
  node(type: NodeType, name: string, id: number, selfSize: number): void;
  /** A node whose name the source gives only when the strings are written (string contents). */
  nodeNamedLater(type: NodeType, key: number, id: number, selfSize: number): void;
  edge(type: EdgeType, nameOrIndex: string | number, to: number): void;
}

/** Role: a snapshot graph the writer pulls in node order. */
export interface SnapshotSource {
  readonly nodeCount: number;
  /** Emits node `k` (0 ≤ k < nodeCount; node 0 is the synthetic root) and its edges into `sink`. */
  emit(k: number, sink: NodeSink): void;
  /** The name of a node emitted with nodeNamedLater(…, key, …), asked for in the order of keys given. */
  nameLater(key: number): string;
}
