// The value model of `print`: plain, JSON-serializable data nested the way the value is, with
// every heap value's address. Render turns it into JS-like text or JSON; nothing here formats.

/** Role: the kinds of value a node can be. */
export type ValueType =
  | 'number' | 'string' | 'boolean' | 'null' | 'undefined' | 'hole' | 'bigint' | 'symbol'
  | 'Object' | 'Array' | 'Function' | 'BoundFunction' | 'Error' | 'Date' | 'RegExp' | 'Promise'
  | 'Map' | 'Set' | 'WeakMap' | 'WeakSet' | 'ArrayBuffer' | 'TypedArray' | 'Buffer' | 'Proxy'
  | 'PrimitiveWrapper' | 'internal' | 'unknown';

/** Role: one named member of a node (a property, or an internal slot such as [[Target]]). */
export interface PropertyNode {
  readonly name: string;
  readonly value: ValueNode;
  /** Accessor properties: which halves exist (the value is then undefined-typed). */
  readonly accessor?: 'getter' | 'setter' | 'both';
  /** Non-enumerable (shown only with -a, or an error's cause): rendered `[name]` as util.inspect does. */
  readonly enumerable?: false;
}

/** Role: one element of an array-like node, or a run of holes. */
export type ElementNode = ValueNode | { readonly type: 'hole'; readonly count: number };

/** Role: one embedder field of an API object. */
export interface EmbedderFieldNode {
  /** The raw word, `0x…`. */
  readonly value: string;
  /** The C++ class of the object the word points at (`node::TCPWrap`), from its vptr. */
  readonly nativeClass?: string;
}

/** Role: one Map/Set/WeakMap/WeakSet entry. */
export interface EntryNode {
  readonly key: ValueNode;
  readonly value?: ValueNode;
}

/** Role: a printed value. */
export interface ValueNode {
  /** Address of the heap object (absent for Smis). */
  address?: number;
  type: ValueType;
  /** Constructor name of objects (`Point`, `TypeError`, `Uint8Array`), or null for null-prototype objects. */
  constructorName?: string | null;
  /** Primitive value: numbers (non-finite and -0 as their JS text), string text, booleans, BigInt digits, date ISO text, RegExp text. */
  value?: string | number | boolean | null;
  /** Strings: full length (the value may be cut); arrays and typed arrays: length; Map/Set: size. */
  length?: number;
  properties?: PropertyNode[];
  elements?: ElementNode[];
  entries?: EntryNode[];
  /** Internal slots shown as [[Name]] (bound target, proxy handler, promise result, wrapped value). */
  internal?: PropertyNode[];
  /** Members left out by a length limit. */
  more?: number;
  /** The object lies beyond the depth limit and was not expanded. */
  truncated?: true;
  /** This node repeats an ancestor: the ancestor's reference number. */
  circular?: number;
  /** Reference number of a node that some descendant points back to. */
  ref?: number;
  /** Why (part of) this value could not be read. */
  corrupt?: string;
  /** Functions: own name; symbols: description. */
  name?: string;
  /** Functions: where they are defined. */
  location?: { script?: string; line?: number; column?: number };
  /** Functions: `class` for class constructors. */
  functionKind?: 'function' | 'class';
  /** Objects: a Symbol.toStringTag data property (inherited, or own and non-enumerable), shown `Object [tag]` as util.inspect does. */
  stringTag?: string;
  /** API objects (JS wrappers of C++ objects): each embedder (internal) field's raw word, and the C++ class of the object it points at when its vtable is the node binary's. */
  embedderFields?: EmbedderFieldNode[];
  /** Class constructors: the name of the class they extend (their [[Prototype]]'s name). */
  extends?: string;
  /** Promises. */
  state?: 'pending' | 'fulfilled' | 'rejected';
  /** ArrayBuffers and typed arrays. */
  byteLength?: number;
  detached?: boolean;
  /** Internal V8 objects: the V8 class name. */
  v8Class?: string;
}
