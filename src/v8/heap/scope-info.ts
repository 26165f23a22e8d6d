// Reads the optional tail of a ScopeInfo: the function variable's name, the inferred name and
// the function's source range. The flags that say which optional slots exist have no metadata,
// so the slot kinds are matched instead (as llnode does for the name), starting right after the
// context locals, whose count is known (V8 src/objects/scope-info.tq: saved class variable,
// function variable {name, index}, inferred name, position info {start, end} (in the fixed
// header since V8 13), outer ScopeInfo).
import type { Tagged } from './tagged.js';
import type { V8Heap } from './v8-heap.js';

/** Role: what the tail of a ScopeInfo tells about its function. */
export interface ScopeInfoTail {
  /** Address of the function variable's name string (the function's own name). */
  readonly functionName?: number;
  /** Address of the inferred name string (`exports.bucketize`). */
  readonly inferredName?: number;
  /** Source range of the function (character offsets). */
  readonly startPosition?: number;
  readonly endPosition?: number;
}

/** Context-local counts from which V8 keeps the names in a hash table (kScopeInfoMaxInlinedLocalNamesSize). */
const MAX_INLINED_LOCAL_NAMES = 75;
/** Most context locals believed; larger counts mean garbage. */
const MAX_CONTEXT_LOCALS = 1 << 16;

type Kind = 'smi' | 'string' | 'undefined' | 'other' | 'none';

/** Decodes the tail of the ScopeInfo at `address`; fields it cannot place are left out. */
export function readScopeInfoTail(heap: V8Heap, address: number): ScopeInfoTail {
  const L = heap.layout.opt;
  const first = L.scopeinfo_idx_first_vars;
  const nLocalsIdx = L.scopeinfo_idx_ncontextlocals;
  const slot0 = L.ScopeInfo_first_slot;
  if (first === undefined || nLocalsIdx === undefined || slot0 === undefined) return {};
  const ts = heap.layout.req.TaggedSize;
  // Since V8 9.x a ScopeInfo is a HeapObject whose slots follow the map (no FixedArray length).
  const slotAt = (i: number): number => address + slot0 + i * ts;
  const count = heap.smiField(address, slot0 + nLocalsIdx * ts);
  if (count === undefined || count < 0 || count > MAX_CONTEXT_LOCALS) return {};
  // V8 ≥ 13 keeps position info {start, end} in the fixed header, between the context-local
  // count and the first variable slot (v8dbg_scopeinfo_idx_first_vars − ncontextlocals == 3).
  let headerPositions: { start: number; end: number } | undefined;
  if (first - nLocalsIdx === 3) {
    const a = heap.smiField(address, slot0 + (nLocalsIdx + 1) * ts);
    const b = heap.smiField(address, slot0 + (nLocalsIdx + 2) * ts);
    if (a === undefined || b === undefined || a < 0 || b < a) return {};
    headerPositions = { start: a, end: b };
  }
  const bases = count < MAX_INLINED_LOCAL_NAMES ? [first + 2 * count, first + 1 + count] : [first + 1 + count];
  for (const base of bases) {
    const slots: { t: Tagged | undefined; kind: Kind }[] = [];
    for (let i = 0; i < 8; i++) {
      const t = heap.word(slotAt(base + i));
      slots.push({ t, kind: kindOf(heap, t) });
    }
    const tail = matchTail(slots, headerPositions === undefined);
    if (tail !== undefined) {
      return headerPositions === undefined ? tail : { ...tail, startPosition: headerPositions.start, endPosition: headerPositions.end };
    }
  }
  return {};
}

function kindOf(heap: V8Heap, t: Tagged | undefined): Kind {
  if (t === undefined) return 'none';
  if (t.kind === 'smi') return 'smi';
  if (t.kind !== 'heap') return 'other';
  const o = heap.object(t.address);
  if (o === undefined) return 'none';
  if (heap.isString(o.type)) return 'string';
  return heap.oddballKind(o) === heap.layout.req.OddballUndefined ? 'undefined' : 'other';
}

/** Tries the optional-slot combinations, most fields first, and keeps the first that fits. */
function matchTail(slots: readonly { t: Tagged | undefined; kind: Kind }[], positionsInTail: boolean): ScopeInfoTail | undefined {
  for (const savedClass of [false, true]) {
    for (const [fvar, inferred] of [
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ] as const) {
      let i = 0;
      const out: { functionName?: number; inferredName?: number; startPosition?: number; endPosition?: number } = {};
      if (savedClass) {
        if (slots[i]!.kind !== 'smi') continue;
        i++;
      }
      if (fvar) {
        if (slots[i]!.kind !== 'string' || slots[i + 1]!.kind !== 'smi') continue;
        out.functionName = (slots[i]!.t as { address: number }).address;
        i += 2;
      }
      if (inferred) {
        const k = slots[i]!.kind;
        if (k !== 'string' && k !== 'undefined') continue;
        if (k === 'string') out.inferredName = (slots[i]!.t as { address: number }).address;
        i++;
      }
      if (!positionsInTail) {
        if (slots[i]!.kind === 'smi' || slots[i]!.kind === 'string') continue;
        return out;
      }
      const a = slots[i]!;
      const b = slots[i + 1]!;
      if (a.kind !== 'smi' || b.kind !== 'smi') continue;
      const start = (a.t as { value: number }).value;
      const end = (b.t as { value: number }).value;
      if (start < 0 || end < start) continue;
      if (slots[i + 2]!.kind === 'smi') continue;
      out.startPosition = start;
      out.endPosition = end;
      return out;
    }
  }
  return undefined;
}
