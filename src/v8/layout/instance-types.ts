// V8 instance types and frame types read from `v8dbg_type_<Class>__<TYPE>` and
// `v8dbg_frametype_<Name>` symbols. Values differ per V8 version; names are the stable key.
import type { MetadataSymbols } from './metadata-symbols.js';

/** Role: both-way lookup between V8 instance-type names (`JS_FUNCTION_TYPE`) and values. */
export class InstanceTypes {
  private readonly byName: ReadonlyMap<string, number>;
  private readonly byValue: ReadonlyMap<number, string>;
  private readonly classByValue: ReadonlyMap<number, string>;

  constructor(entries: readonly { cls: string; type: string; value: number }[]) {
    const byName = new Map<string, number>();
    const byValue = new Map<number, string>();
    const classByValue = new Map<number, string>();
    for (const e of entries) {
      byName.set(e.type, e.value);
      if (!byValue.has(e.value)) byValue.set(e.value, e.type);
      if (!classByValue.has(e.value)) classByValue.set(e.value, e.cls);
    }
    this.byName = byName;
    this.byValue = byValue;
    this.classByValue = classByValue;
  }

  /** Value of a type name (`HEAP_NUMBER_TYPE`), or undefined when this V8 lacks it. */
  value(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** Value of the first of `names` this V8 has (names drift: STRING_TYPE → SEQ_TWO_BYTE_STRING_TYPE). */
  first(...names: string[]): number | undefined {
    for (const n of names) {
      const v = this.byName.get(n);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Type name of a value (`JS_OBJECT_TYPE`), or undefined. */
  name(value: number): string | undefined {
    return this.byValue.get(value);
  }

  /** V8 class name of a value (`JSObject`), or undefined. */
  className(value: number): string | undefined {
    return this.classByValue.get(value);
  }

  /** Every (type name, value) pair. */
  entries(): IterableIterator<[string, number]> {
    return this.byName.entries();
  }

  /** Number of known types. */
  get size(): number {
    return this.byName.size;
  }
}

/** Builds the instance-type table from a binary's `v8dbg_type_*` symbols. */
export function loadInstanceTypes(syms: MetadataSymbols): InstanceTypes {
  const entries: { cls: string; type: string; value: number }[] = [];
  for (const name of syms.withPrefix('v8dbg_type_')) {
    const rest = name.slice('v8dbg_type_'.length);
    const sep = rest.indexOf('__');
    if (sep <= 0) continue;
    const v = syms.read(name);
    if (v === undefined) continue;
    entries.push({ cls: rest.slice(0, sep), type: rest.slice(sep + 2), value: v.value });
  }
  return new InstanceTypes(entries);
}

/** Role: V8 StackFrame::Type values by name (`InterpretedFrame`) and back. */
export class FrameTypes {
  constructor(private readonly byName: ReadonlyMap<string, number>) {}

  /** Value of a frame-type name, or undefined. */
  value(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** Name of a frame-type value (`EntryFrame`), or undefined. */
  name(value: number): string | undefined {
    for (const [n, v] of this.byName) if (v === value) return n;
    return undefined;
  }

  /** All names and values. */
  entries(): IterableIterator<[string, number]> {
    return this.byName.entries();
  }
}

/** Builds the frame-type table from a binary's `v8dbg_frametype_*` symbols. */
export function loadFrameTypes(syms: MetadataSymbols): FrameTypes {
  const m = new Map<string, number>();
  for (const name of syms.withPrefix('v8dbg_frametype_')) {
    const v = syms.read(name);
    if (v !== undefined) m.set(name.slice('v8dbg_frametype_'.length), v.value);
  }
  return new FrameTypes(m);
}
