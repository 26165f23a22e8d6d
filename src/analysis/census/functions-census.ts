// `nodescope functions <core>` (mdb_v8 ::jsfunctions): closures grouped by the function they are
// made from (their SharedFunctionInfo), with name, script and definition position, and the number
// of closures of each: 100,000 closures of one callback are a leak you can name.
import { describeShared, sharedOf } from '../../v8/heap/function-info.js';
import { hex } from '../../util/hex.js';
import type { Session } from '../session.js';
import type { ScanProgress } from './heap-census.js';
import { heapObjectOf } from './object-ref.js';

/** Role: one function and its closures (the documented `functions --json` row). */
export interface FunctionRow {
  readonly name: string;
  readonly inferredName?: string;
  readonly script?: string;
  readonly line?: number;
  readonly column?: number;
  readonly count: number;
  readonly bytes: number;
  /** One closure of it, for print, closure and refs. */
  readonly example: string;
}

/** Role: the functions result. */
export interface FunctionsResult {
  readonly functions: readonly FunctionRow[];
  readonly matched: number;
  readonly closures: number;
  readonly reachable: boolean;
}

/** Options of the functions query. */
export interface FunctionsOptions {
  /** Only functions with this name (own or inferred). */
  readonly name?: string;
  readonly limit?: number;
  readonly reachable?: boolean;
  readonly onProgress?: ScanProgress;
}

/** Groups the heap's closures by function. */
export function functionsCensus(session: Session, opts: FunctionsOptions = {}): FunctionsResult {
  const census = session.census(opts.onProgress);
  const marked = opts.reachable ? session.reachability(opts.onProgress).marked : undefined;
  const heap = census.heap;
  const bySfi = new Map<number, { count: number; bytes: number; example: number }>();
  let closures = 0;
  for (let i = 0; i < census.table.count; i++) {
    if (!heap.isJSFunction(census.table.type(i)) || (marked !== undefined && marked[i] === 0)) continue;
    const sfi = sharedOf(heap, heapObjectOf(census, i));
    if (sfi === undefined) continue;
    closures++;
    const row = bySfi.get(sfi.address) ?? { count: 0, bytes: 0, example: i };
    row.count++;
    row.bytes += census.table.size(i);
    bySfi.set(sfi.address, row);
  }
  const rows: FunctionRow[] = [];
  for (const [sfiAddress, r] of bySfi) {
    const sfi = heap.object(sfiAddress);
    if (sfi === undefined) continue;
    const f = describeShared(heap, sfi);
    if (opts.name !== undefined && f.name !== opts.name && f.inferredName !== opts.name) continue;
    rows.push({
      name: f.name,
      ...(f.inferredName ? { inferredName: f.inferredName } : {}),
      ...(f.scriptName !== undefined ? { script: f.scriptName } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.column !== undefined ? { column: f.column } : {}),
      count: r.count,
      bytes: r.bytes,
      example: hex(census.table.address(r.example)),
    });
  }
  rows.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const limit = opts.limit === undefined ? 50 : opts.limit === 0 ? Infinity : opts.limit;
  return { functions: rows.slice(0, limit), matched: rows.length, closures, reachable: opts.reachable === true };
}
