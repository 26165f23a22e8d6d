// `inspectValue`: builds the ValueNode tree of any JS value in a core, util.inspect-style: depth
// and length limits, cycles marked as util.inspect does ([Circular *n]), a node budget, and
// corrupt parts marked instead of thrown. Only typed errors are caught; anything else is a bug.
import type { Session } from '../session.js';
import { isNodescopeError } from '../../util/errors.js';
import type { Tagged } from '../../v8/heap/tagged.js';
import { readString } from '../../v8/heap/strings.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import { ephemeronEntries, orderedHashEntries } from '../../v8/objects/collections.js';
import { readElements } from '../../v8/objects/elements.js';
import { decodeSymbol, ownNamedProperties, type NamedKey, type NamedProperty } from '../../v8/heap/named-properties.js';
import { objectKind, prototypeOf } from '../../v8/objects/object-class.js';
import {
  bigIntValue,
  boundFunctionParts,
  dateValue,
  promiseState,
  proxyParts,
  regExpParts,
  wrappedValue,
} from '../../v8/objects/special-objects.js';
import { arrayBufferBody, numberValue, typedArrayBody } from './binary-values.js';
import { errorStackOf } from './error-stack.js';
import { functionHead, receiverHead } from './value-head.js';

export { numberValue } from './binary-values.js';
import type { ElementNode, EntryNode, PropertyNode, ValueNode } from './value-node.js';

/** Role: limits of inspectValue. */
export interface InspectOptions {
  /** Levels of nested objects expanded below the root (default 2, like mdb_v8 and util.inspect). */
  readonly depth?: number;
  /** Most elements, entries or properties per object (default 100). */
  readonly maxElements?: number;
  /** Longest string kept, in UTF-16 units (default 1000). */
  readonly maxStringLength?: number;
  /** Keep strings whole (up to 64 Mi units). */
  readonly fullString?: boolean;
  /** Most nodes in the whole tree (default 20000); beyond it objects are left truncated. */
  readonly maxNodes?: number;
  /** Also show non-enumerable properties and private symbols. */
  readonly showHidden?: boolean;
  /** Names the C++ class of the object at an address (a session's vtables), for API objects' embedder fields. */
  readonly nativeClassAt?: (address: number) => string | undefined;
}

/** Longest string read with fullString. */
const FULL_STRING_CAP = 64 * 1024 * 1024;

/** Inspects the value at `address` (tagged or untagged) in the session's heap, naming native classes behind API objects. */
export function inspectValue(session: Session, address: number, options: InspectOptions = {}): ValueNode {
  return inspectAddress(session.heap(), address, { nativeClassAt: (a) => session.nativeClassAt(a), ...options });
}

/** inspectTagged with the session's native class names. */
export function inspectSessionTagged(session: Session, t: Tagged | undefined, options: InspectOptions = {}): ValueNode {
  return inspectTagged(session.heap(), t, { nativeClassAt: (a) => session.nativeClassAt(a), ...options });
}

/** Inspects the heap object at `address` in `heap`. */
export function inspectAddress(heap: V8Heap, address: number, options: InspectOptions = {}): ValueNode {
  const untagged = address % 8 === 1 ? address - 1 : address;
  return new Inspector(heap, options).visit({ kind: 'heap', address: untagged }, 0);
}

/** Inspects an already decoded tagged value (frame arguments, context slots …). */
export function inspectTagged(heap: V8Heap, t: Tagged | undefined, options: InspectOptions = {}): ValueNode {
  return new Inspector(heap, options).visit(t, 0);
}

class Inspector {
  private readonly depth: number;
  private readonly maxElements: number;
  private readonly maxString: number;
  private readonly showHidden: boolean;
  private nodesLeft: number;
  private refs = 0;
  private readonly nativeClassAt: ((address: number) => string | undefined) | undefined;
  /** Receivers on the path from the root to the node being built. */
  private readonly ancestors = new Map<number, ValueNode>();

  constructor(private readonly heap: V8Heap, options: InspectOptions) {
    this.depth = options.depth ?? 2;
    this.maxElements = options.maxElements ?? 100;
    this.maxString = options.fullString ? FULL_STRING_CAP : (options.maxStringLength ?? 1000);
    this.showHidden = options.showHidden ?? false;
    this.nodesLeft = options.maxNodes ?? 20000;
    this.nativeClassAt = options.nativeClassAt;
  }

  visit(t: Tagged | undefined, level: number): ValueNode {
    if (t === undefined) return { type: 'unknown', corrupt: 'unreadable' };
    if (t.kind === 'smi') return { type: 'number', value: t.value };
    if (t.kind === 'weak') return { type: 'unknown', address: t.address, corrupt: 'weak reference' };
    if (t.kind === 'invalid') return { type: 'unknown', corrupt: `not a tagged value (0x${(t.hi >>> 0).toString(16)}${(t.lo >>> 0).toString(16).padStart(8, '0')})` };
    const o = this.heap.object(t.address);
    if (o === undefined) return { type: 'unknown', address: t.address, corrupt: 'not a heap object' };
    try {
      return this.visitObject(o, level);
    } catch (e) {
      if (!isNodescopeError(e)) throw e;
      return { type: 'unknown', address: o.address, corrupt: e.message };
    }
  }

  private visitObject(o: HeapObject, level: number): ValueNode {
    const heap = this.heap;
    // The global proxy (what `globalThis` and a sloppy `this` hold) forwards to the global
    // object, whose prototype it is: print the global object, as util.inspect does.
    if (heap.layout.types.name(o.type) === 'JS_GLOBAL_PROXY_TYPE') {
      const g = prototypeOf(heap, o);
      if (g !== undefined && g !== 'null' && heap.layout.types.name(g.type) === 'JS_GLOBAL_OBJECT_TYPE') o = g;
    }
    const address = o.address;
    const kind = objectKind(heap, o);
    switch (kind) {
      case 'string':
        return this.string(o);
      case 'heapNumber': {
        const v = heap.double(address + heap.layout.req.HeapNumber_value);
        return v === undefined ? { address, type: 'number', corrupt: 'unreadable' } : { address, type: 'number', value: numberValue(v) };
      }
      case 'hole':
        return { address, type: 'hole' };
      case 'oddball':
        return this.oddball(o);
      case 'symbol': {
        const s = decodeSymbol(heap, o);
        return { address, type: 'symbol', ...(s.description !== undefined ? { name: s.description } : {}) };
      }
      case 'bigint': {
        const v = bigIntValue(heap, o);
        return v === undefined ? { address, type: 'bigint', corrupt: 'bad BigInt length' } : { address, type: 'bigint', value: v.toString() };
      }
      case 'internal': {
        const cls = heap.layout.types.className(o.type) ?? heap.typeName(o.type);
        return { address, type: 'internal', v8Class: cls };
      }
      default:
        return this.receiver(o, kind, level);
    }
  }

  private string(o: HeapObject): ValueNode {
    const s = readString(this.heap, o, { maxLength: this.maxString, maxNodes: 1 << 16 });
    if (s === undefined) return { address: o.address, type: 'string', corrupt: 'unreadable string' };
    return { address: o.address, type: 'string', value: s.text, length: s.length };
  }

  private oddball(o: HeapObject): ValueNode {
    const R = this.heap.layout.req;
    const k = this.heap.oddballKind(o);
    const address = o.address;
    if (k === R.OddballUndefined) return { address, type: 'undefined' };
    if (k === R.OddballNull) return { address, type: 'null', value: null };
    if (k === R.OddballTrue) return { address, type: 'boolean', value: true };
    if (k === R.OddballFalse) return { address, type: 'boolean', value: false };
    if (k !== undefined && k === this.heap.layout.opt.OddballTheHole) return { address, type: 'hole' };
    return { address, type: 'internal', v8Class: 'Oddball', ...(k !== undefined ? { value: k } : { corrupt: 'bad Oddball kind' }) };
  }

  /** Receivers: checks cycles, depth and the node budget, then builds by kind. */
  private receiver(o: HeapObject, kind: ReturnType<typeof objectKind>, level: number): ValueNode {
    const heap = this.heap;
    const address = o.address;
    const seen = this.ancestors.get(address);
    const head = kind === 'function' ? functionHead(heap, o) : receiverHead(heap, o, kind, this.nativeClassAt);
    if (seen !== undefined) {
      if (seen.ref === undefined) seen.ref = ++this.refs;
      return { ...head, circular: seen.ref };
    }
    // A function beyond the depth still prints whole, only without its properties.
    if (level > this.depth || --this.nodesLeft < 0) return kind === 'function' ? head : { ...head, truncated: true };
    const node: ValueNode = head;
    this.ancestors.set(address, node);
    try {
      switch (kind) {
        case 'array':
          this.arrayBody(o, node, level);
          break;
        case 'function':
          this.propertiesBody(o, node, level);
          break;
        case 'boundFunction':
          this.boundBody(o, node, level);
          break;
        case 'proxy': {
          const p = proxyParts(heap, o);
          node.internal = [
            { name: 'Target', value: this.visit(p.target, level + 1) },
            { name: 'Handler', value: this.visit(p.handler, level + 1) },
          ];
          break;
        }
        case 'error':
          this.errorBody(o, node, level);
          break;
        case 'date': {
          const v = dateValue(heap, o);
          if (v === undefined) node.corrupt = 'date value unreadable';
          else node.value = Number.isFinite(v) && Math.abs(v) <= 8.64e15 ? new Date(v).toISOString() : 'Invalid Date';
          this.propertiesBody(o, node, level);
          break;
        }
        case 'regexp': {
          const r = regExpParts(heap, o);
          const src = r.source !== undefined ? readString(heap, r.source, { maxLength: this.maxString }) : undefined;
          if (src === undefined || r.flags === undefined) node.corrupt = 'RegExp source or flags unreadable';
          node.value = `/${src?.text ?? '?'}/${r.flags ?? ''}`;
          this.propertiesBody(o, node, level, (k) => k !== 'lastIndex');
          break;
        }
        case 'promise': {
          const p = promiseState(heap, o);
          if (p === undefined) node.corrupt = 'promise state unreadable';
          else {
            node.state = p.state;
            if (p.state !== 'pending') node.internal = [{ name: 'PromiseResult', value: this.visit(p.result, level + 1) }];
          }
          this.propertiesBody(o, node, level);
          break;
        }
        case 'map':
        case 'set':
        case 'weakMap':
        case 'weakSet':
          this.collectionBody(o, kind, node, level);
          break;
        case 'arrayBuffer':
          arrayBufferBody(this.heap, o, node, this.maxElements);
          break;
        case 'typedArray':
          typedArrayBody(this.heap, o, node, this.maxElements);
          break;
        case 'primitiveWrapper':
          node.internal = [{ name: 'PrimitiveValue', value: this.visit(wrappedValue(heap, o), level + 1) }];
          this.propertiesBody(o, node, level, (k) => k !== 'length');
          break;
        default:
          this.propertiesBody(o, node, level);
          this.indexedAsProperties(o, node, level);
      }
    } finally {
      this.ancestors.delete(address);
    }
    return node;
  }

  /**
   * Own properties in Reflect.ownKeys order (strings, then symbols); non-enumerable ones only
   * with showHidden, or when `alsoHidden` names them (an error's `cause`, shown last as
   * util.inspect does).
   */
  private propertiesBody(o: HeapObject, node: ValueNode, level: number, keep: (name: string) => boolean = () => true, alsoHidden: (name: string) => boolean = () => false): void {
    const walk = ownNamedProperties(this.heap, o, this.maxElements * 4 + 64);
    const props: PropertyNode[] = [];
    const late: PropertyNode[] = [];
    let shown = 0;
    const ordered = [...walk.entries.filter((e) => e.key.kind !== 'symbol'), ...walk.entries.filter((e) => e.key.kind === 'symbol')];
    for (const e of ordered) {
      const name = keyName(e.key);
      const forced = !e.enumerable && e.key.kind !== 'symbol' && alsoHidden(name);
      if (!this.showHidden && !forced && (!e.enumerable || (e.key.kind === 'symbol' && e.key.isPrivate))) continue;
      if (!keep(name)) continue;
      if (shown++ >= this.maxElements) continue;
      const p = this.property(name, e, level);
      const marked = e.enumerable ? p : { ...p, enumerable: false as const };
      (forced && !this.showHidden ? late : props).push(marked);
    }
    props.push(...late);
    const hiddenCut = walk.total - walk.entries.length;
    const more = Math.max(0, shown - this.maxElements) + Math.max(0, hiddenCut);
    if (props.length > 0) node.properties = [...(node.properties ?? []), ...props];
    if (more > 0) node.more = (node.more ?? 0) + more;
    if (walk.corrupt !== undefined) node.corrupt = walk.corrupt;
  }

  private property(name: string, e: NamedProperty, level: number): PropertyNode {
    if (e.accessor !== undefined) {
      const has = (t: Tagged | undefined): boolean => {
        const x = this.heap.objectOf(t);
        return x !== undefined && (this.heap.isJSFunction(x.type) || this.heap.isJSReceiver(x.type));
      };
      const g = has(e.accessor.getter);
      const s = has(e.accessor.setter);
      // AccessorInfo (native accessors such as Array length) has neither half as a function.
      const accessor = g && s ? 'both' : g ? 'getter' : s ? 'setter' : 'both';
      return { name, value: { type: 'undefined' }, accessor };
    }
    return { name, value: this.visit(e.value, level + 1) };
  }

  /** Indexed properties of a non-array object, shown as named properties `'0'`, `'1'` …. */
  private indexedAsProperties(o: HeapObject, node: ValueNode, level: number): void {
    const walk = readElements(this.heap, o, this.maxElements);
    const props: PropertyNode[] = [];
    for (const item of walk.items) {
      if (item.kind === 'hole') continue;
      const value = item.kind === 'double' ? { type: 'number' as const, value: numberValue(item.value) } : this.visit(item.value, level + 1);
      props.push({ name: String(item.index), value });
    }
    if (props.length > 0) node.properties = [...props, ...(node.properties ?? [])];
  }

  private arrayBody(o: HeapObject, node: ValueNode, level: number): void {
    const at = this.heap.layout.opt.JSArray_length;
    const len = at === undefined ? undefined : numberOfTagged(this.heap, this.heap.field(o.address, at));
    if (len === undefined || len < 0 || !Number.isInteger(len)) {
      node.corrupt = 'bad JSArray length';
      return;
    }
    node.length = len;
    const walk = readElements(this.heap, o, this.maxElements, len);
    const elements: ElementNode[] = [];
    let count = 0;
    let next = 0;
    for (const item of walk.items) {
      if (item.index >= len) break;
      if (item.index > next) elements.push({ type: 'hole', count: item.index - next });
      if (item.kind === 'hole') {
        const c = Math.min(item.count, len - item.index);
        elements.push({ type: 'hole', count: c });
        next = item.index + c;
        continue;
      }
      count++;
      elements.push(item.kind === 'double' ? { type: 'number', value: numberValue(item.value) } : this.visit(item.value, level + 1));
      next = item.index + 1;
    }
    if (walk.store === 'dictionary' && walk.more === 0 && next < len) elements.push({ type: 'hole', count: len - next });
    else if (walk.more > 0 || next < len) node.more = walk.store === 'dictionary' ? walk.more : len - next;
    void count;
    node.elements = elements;
    if (walk.corrupt !== undefined) node.corrupt = walk.corrupt;
    this.propertiesBody(o, node, level, (k) => k !== 'length');
  }

  private boundBody(o: HeapObject, node: ValueNode, level: number): void {
    const p = boundFunctionParts(this.heap, o);
    const args: ValueNode = { type: 'Array', ...(p.args !== undefined ? { address: p.args.address } : {}), elements: [] };
    const n = p.args !== undefined ? this.heap.fixedArrayLength(p.args.address) : undefined;
    if (p.args === undefined || n === undefined) args.corrupt = 'bound arguments unreadable';
    else {
      args.length = n;
      for (let i = 0; i < n && i < this.maxElements; i++) args.elements!.push(this.visit(this.heap.fixedArrayGet(p.args.address, i), level + 2));
      if (n > this.maxElements) args.more = n - this.maxElements;
    }
    node.internal = [
      { name: 'TargetFunction', value: this.visit(p.target, level + 1) },
      { name: 'BoundThis', value: this.visit(p.boundThis, level + 1) },
      { name: 'BoundArgs', value: args },
    ];
  }

  /**
   * Errors: the captured stack is the own `stack` data property, or (V8 ≥ 11) the string held
   * under a private symbol once the stack was formatted, else the call sites captured there and
   * not yet formatted (formatted here); the message is the own `message`.
   */
  private errorBody(o: HeapObject, node: ValueNode, level: number): void {
    const ctx = { heap: this.heap, positionTables: new Map() };
    let msgNode: ValueNode | undefined;
    const headerOf = (message: Tagged | undefined): string => {
      msgNode ??= message !== undefined ? this.visit(message, level + 1) : undefined;
      return `${node.constructorName ?? 'Error'}${msgNode?.type === 'string' && msgNode.value !== '' ? `: ${String(msgNode.value)}` : ''}`;
    };
    const e = errorStackOf(ctx, o, headerOf, this.maxElements);
    const header = headerOf(e.message);
    node.value = e.stack ?? header;
    if (msgNode !== undefined) node.internal = [{ name: 'message', value: msgNode }];
    this.propertiesBody(o, node, level, (k) => k !== 'message' && k !== 'stack', (k) => k === 'cause' || (k === 'errors' && node.constructorName === 'AggregateError'));
  }

  private collectionBody(o: HeapObject, kind: 'map' | 'set' | 'weakMap' | 'weakSet', node: ValueNode, level: number): void {
    const walk = kind === 'map' || kind === 'set' ? orderedHashEntries(this.heap, o, kind === 'map', this.maxElements) : ephemeronEntries(this.heap, o, this.maxElements);
    node.length = walk.size;
    const entries: EntryNode[] = [];
    for (const e of walk.entries) {
      const key = this.visit(e.key, level + 1);
      entries.push(kind === 'set' || kind === 'weakSet' ? { key } : { key, value: this.visit(e.value, level + 1) });
    }
    node.entries = entries;
    if (walk.size > entries.length && walk.corrupt === undefined) node.more = walk.size - entries.length;
    if (walk.corrupt !== undefined) node.corrupt = walk.corrupt;
    this.propertiesBody(o, node, level);
  }
}

function numberOfTagged(heap: V8Heap, t: Tagged | undefined): number | undefined {
  if (t?.kind === 'smi') return t.value;
  const o = heap.objectOf(t);
  return o !== undefined && o.type === heap.types.HEAP_NUMBER ? heap.double(o.address + heap.layout.req.HeapNumber_value) : undefined;
}

function keyName(key: NamedKey): string {
  if (key.kind === 'string') return key.text;
  if (key.kind === 'symbol') return `[Symbol(${key.description ?? ''})]`;
  return `<corrupt key: ${key.why}>`;
}
