// Loads the V8 layout of one node executable: every constant of the constant table, resolved
// through aliases and documented fallbacks, validated and frozen. A missing required constant
// throws MissingConstant naming it; optional ones are listed in `missing`.
import type { AddressSpace } from '../../target/address-space.js';
import { v8MetadataMissing } from './metadata-check.js';
import { FormatError, MissingConstant } from '../../util/errors.js';
import { OPTIONAL, REQUIRED, type ConstantRow, type OptionalName as TableOptionalName, type RequiredName } from './constant-table.js';
import { HEAP, type HeapName } from './heap-constant-table.js';
import { FrameTypes, InstanceTypes, loadFrameTypes, loadInstanceTypes } from './instance-types.js';
import type { LayoutBinary } from './layout-binary.js';
import { MetadataSymbols, type ConstantSource } from './metadata-symbols.js';
import { readV8Version } from './versions.js';

/** Role: one constant as `nodescope layout` reports it. */
export interface ConstantReport {
  readonly name: string;
  /** The metadata symbol the value came from (absent for fallbacks and missing constants). */
  readonly symbol?: string;
  readonly value?: number;
  readonly source?: ConstantSource;
  readonly required: boolean;
  /** The upstream fact a fallback rests on. */
  readonly fallbackDoc?: string;
}

/** Logical name of any optional constant: the metadata rows and the heap facts. */
export type OptionalName = TableOptionalName | HeapName;

/** Role: the validated, frozen V8 layout that the heap and frame models read. */
export interface V8Layout {
  /** Required constants, always present. */
  readonly req: Readonly<Record<RequiredName, number>>;
  /** Optional constants, present when the binary (or a documented fallback) has them. */
  readonly opt: Readonly<Partial<Record<OptionalName, number>>>;
  readonly types: InstanceTypes;
  readonly frameTypes: FrameTypes;
  /** Every constant of the table with its value and source (`nodescope layout`). */
  readonly constants: readonly ConstantReport[];
  /** Logical names of optional constants that could not be found. */
  readonly missing: readonly string[];
  /** V8 version from v8::internal::Version, when the binary has the statics. */
  readonly v8Version?: string;
  /** Every `v8dbg_class_<Class>__<field>__<type>` offset, by class then offset: names internal edges. */
  readonly classFields: ReadonlyMap<string, ReadonlyMap<number, string>>;
}

/** Options of loadV8Layout. */
export interface LoadLayoutOptions {
  /** Name of the binary for error messages. */
  readonly binaryName?: string;
}

/**
 * Loads the layout from `binary`'s metadata; `.bss` symbols are read from `space` at
 * `bias + value` (pass `space` undefined to read the file alone, e.g. for a binary without core).
 */
export function loadV8Layout(
  binary: LayoutBinary,
  space: AddressSpace | undefined,
  bias: number,
  options: LoadLayoutOptions = {},
): V8Layout {
  const binaryName = options.binaryName ?? 'node binary';
  const syms = new MetadataSymbols(binary, space, bias);
  if (v8MetadataMissing(syms.withPrefix('v8dbg_').map((name) => ({ name }))) !== undefined) {
    throw new FormatError(binaryName, 'has no V8 postmortem metadata (v8dbg_* symbols)');
  }
  const values = new Map<string, number>();
  const reports: ConstantReport[] = [];
  const missing: string[] = [];
  const types = loadInstanceTypes(syms);
  const v8Version = readV8Version(binary);
  const [major, minor] = (v8Version ?? '').split('.').map(Number);
  // Per-version heap facts key on the version (major·1000 + minor); fallbacks may read instance
  // types as `type:NAME`.
  if (major !== undefined && minor !== undefined && Number.isInteger(major) && Number.isInteger(minor)) values.set('V8Version', major * 1000 + minor);
  const get = (n: string): number | undefined => (n.startsWith('type:') ? types.value(n.slice(5)) : values.get(n));

  const resolve = (name: string, row: ConstantRow, required: boolean): void => {
    for (const s of row.symbols) {
      const candidates = s.endsWith('__') ? syms.withPrefix(s) : [s];
      for (const c of candidates) {
        const v = syms.read(c);
        if (v === undefined) continue;
        values.set(name, v.value);
        reports.push({ name, symbol: v.symbol, value: v.value, source: v.source, required });
        return;
      }
    }
    const fb = row.fallback?.value(get);
    if (fb !== undefined && row.fallback !== undefined) {
      values.set(name, fb);
      reports.push({ name, value: fb, source: 'fallback', required, fallbackDoc: row.fallback.doc });
      return;
    }
    reports.push({ name, required });
    if (required) throw new MissingConstant(`${name} (${row.symbols.join(' | ')})`, binaryName);
    missing.push(name);
  };

  for (const [name, row] of Object.entries(REQUIRED)) resolve(name, row, true);
  for (const [name, row] of Object.entries(OPTIONAL)) resolve(name, row, false);
  for (const [name, row] of Object.entries(HEAP)) resolve(name, row, false);

  const req = Object.freeze(Object.fromEntries(Object.keys(REQUIRED).map((k) => [k, values.get(k)!]))) as Record<
    RequiredName,
    number
  >;
  const opt = Object.freeze(
    Object.fromEntries([...Object.keys(OPTIONAL), ...Object.keys(HEAP)].filter((k) => values.has(k)).map((k) => [k, values.get(k)!])),
  ) as Partial<Record<OptionalName, number>>;
  validate(req, binaryName);

  const layout: V8Layout = {
    req,
    opt,
    types,
    classFields: loadClassFields(syms),
    frameTypes: loadFrameTypes(syms),
    constants: Object.freeze(reports),
    missing: Object.freeze(missing),
    ...(v8Version !== undefined ? { v8Version } : {}),
  };
  return Object.freeze(layout);
}

/** Rejects layouts this model does not read (pointer compression, 32-bit, odd tagging). */
function validate(req: Readonly<Record<RequiredName, number>>, binaryName: string): void {
  const bad = (what: string): never => {
    throw new FormatError(binaryName, `unsupported V8 layout: ${what}`);
  };
  if (req.PointerSize !== 8) bad(`pointer size ${req.PointerSize} (only x64 is supported)`);
  if (req.TaggedSize !== 8) bad(`tagged size ${req.TaggedSize} (pointer compression is not supported)`);
  if (req.SmiTagMask !== 1 || req.SmiTag !== 0) bad(`Smi tag ${req.SmiTag}/${req.SmiTagMask}`);
  if (req.SmiShiftSize !== 31) bad(`Smi shift size ${req.SmiShiftSize} (expected 31: 32-bit Smis in the upper half)`);
  if (req.HeapObjectTag !== 1 || req.HeapObjectTagMask !== 3) bad(`heap object tag ${req.HeapObjectTag}/${req.HeapObjectTagMask}`);
  if (req.HeapObject_map !== 0) bad(`HeapObject::map at ${req.HeapObject_map}`);
}

/** Offsets of every class field the metadata names (`v8dbg_class_JSFunction__shared__…`). */
function loadClassFields(syms: MetadataSymbols): ReadonlyMap<string, ReadonlyMap<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const name of syms.withPrefix('v8dbg_class_')) {
    const m = /^v8dbg_class_([A-Za-z0-9]+)__([A-Za-z0-9_]+?)__/.exec(name);
    if (m === null) continue;
    const v = syms.read(name);
    if (v === undefined || v.value < 0 || v.value > 1 << 20) continue;
    const fields = out.get(m[1]!) ?? new Map<number, string>();
    if (!fields.has(v.value)) fields.set(v.value, m[2]!);
    out.set(m[1]!, fields);
  }
  return out;
}
