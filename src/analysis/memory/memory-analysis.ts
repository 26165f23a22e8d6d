// `nodescope memory`: where the address space went, by owner, reconciled to the total mapped
// bytes: V8 heap pages by space (committed and used), external memory held from JS by its owner's
// constructor, glibc's malloc heap (per arena, mmapped chunks), thread stacks, JIT code, mapped
// files, reserved ranges, and what is left unexplained. Plain data out; render/ formats it.
import type { Mapping } from '../../target/address-space.js';
import { findMapping } from '../../target/address-space.js';
import { isNodescopeError } from '../../util/errors.js';
import { ChunkState, type ArenaSummary } from '../../native/glibc/malloc-heap-model.js';
import { describeGlibc } from '../../native/glibc/glibc-libc.js';
import type { HeapPage } from '../../v8/pages/heap-pages.js';
import type { ScanProgress } from '../census/heap-census.js';
import type { Session } from '../session.js';
import { externalMemory, mergeRanges, type ExternalHolder, type ExternalHolderGroup } from './external-memory.js';
import { reconcile, type Claim, type MemoryCategory } from './reconcile.js';
import { LiveTarget } from '../../target/live/live-target.js';
import { ResidentPages, rssBytes } from '../../target/live/resident-pages.js';

/** Role: one V8 space's pages. */
export interface V8SpaceUsage {
  readonly name: string;
  readonly pages: number;
  /** Bytes of its pages (chunks). */
  readonly committed: number;
  /** Bytes of the objects on them. */
  readonly used: number;
}

/** Role: the malloc heap's totals. */
export interface MallocUsage {
  readonly glibc: string;
  /** Bytes of allocated chunks (arena chunks in use and mmapped chunks, headers included). */
  readonly inUse: number;
  /** Bytes of free chunks (binned, fastbin, tcache), top chunks excluded. */
  readonly free: number;
  readonly top: number;
  /** free / (inUse + free + top) of the arenas. */
  readonly fragmentation: number;
  readonly arenas: readonly ArenaSummary[];
  readonly mmapped: { readonly count: number; readonly bytes: number };
}

/** Role: the result of `memory`. */
export interface MemoryResult {
  /** A core: bytes mapped; a live process: its RSS (smaps_rollup). */
  readonly total: number;
  /** What `total` counts. */
  readonly measure: 'mapped' | 'resident';
  readonly categories: readonly MemoryCategory[];
  readonly v8: { readonly spaces: readonly V8SpaceUsage[] };
  readonly external: { readonly bytes: number; readonly holders: readonly ExternalHolderGroup[]; readonly top: readonly ExternalHolder[] };
  /** Absent when the allocator is not glibc's (see `mallocUnsupported`). */
  readonly malloc?: MallocUsage;
  readonly mallocUnsupported?: string;
  readonly notes: readonly string[];
}

/** Category names, in the order they print. */
export const CATEGORY = {
  v8: 'V8 heap',
  external: 'external (backing stores, external strings)',
  malloc: 'malloc heap (other)',
  stacks: 'thread stacks',
  jit: 'JIT code (anonymous executable)',
  files: 'mapped files',
  reserved: 'reserved (PROT_NONE, anonymous)',
  unexplained: 'unexplained (anonymous)',
  /** Live only: RSS minus the resident pages found in the mappings read (vsyscall, races). */
  outside: 'resident outside the mappings read',
} as const;

function spaceName(p: HeapPage, pageSize: number, exec: boolean): string {
  if (p.kind === 'read-only') return 'read-only';
  if (p.kind === 'to-space' || p.kind === 'from-space') return 'new';
  if (p.size > pageSize) return 'large objects';
  return exec ? 'code' : 'old';
}

/** Role: the memory analysis of the session's target; `top` largest external holders listed. */
export function memoryAnalysis(session: Session, opts: { top?: number; onProgress?: ScanProgress } = {}): MemoryResult {
  const space = session.target.space;
  const maps = space.mappings();
  const census = session.census(opts.onProgress);
  const pages = census.table.walker.pages;
  // V8 spaces: committed by page, used by the objects the census found on each page.
  const spaces = new Map<string, { pages: number; committed: number; used: number }>();
  const t = census.table;
  pages.pages.forEach((p, i) => {
    const m = findMapping(maps, p.areaStart);
    const name = spaceName(p, pages.pageSize, m?.executable === true);
    const s = spaces.get(name) ?? { pages: 0, committed: 0, used: 0 };
    s.pages++;
    s.committed += p.size;
    for (let k = t.pageFirst[i]!; k < t.pageFirst[i + 1]!; k++) s.used += t.size(k);
    spaces.set(name, s);
  });
  const ext = externalMemory(census, opts.top ?? 10, (a) => findMapping(maps, a)?.path !== undefined);
  let malloc: MallocUsage | undefined;
  let mallocUnsupported: string | undefined;
  let mallocRanges: { start: number; end: number }[] = [];
  try {
    const model = session.mallocHeap();
    let mm = 0;
    let mmBytes = 0;
    for (let i = 0; i < model.count; i++) if (model.state[i] === ChunkState.Mmapped) (mm++, (mmBytes += model.size[i]!));
    const inUse = model.arenas.reduce((a, x) => a + x.inUse, 0) + mmBytes;
    const free = model.arenas.reduce((a, x) => a + x.free, 0);
    const top = model.arenas.reduce((a, x) => a + x.top, 0);
    const g = session.glibc();
    malloc = { glibc: describeGlibc(g), inUse, free, top, fragmentation: free + top + inUse - mmBytes > 0 ? free / (free + top + inUse - mmBytes) : 0, arenas: model.arenas, mmapped: { count: mm, bytes: mmBytes } };
    mallocRanges = mergeRanges(model.regions);
  } catch (e) {
    if (!isNodescopeError(e)) throw e;
    mallocUnsupported = e.message;
  }
  const stackMaps = new Set<Mapping>();
  for (const th of session.target.threads) {
    const m = findMapping(maps, th.regs.rsp);
    if (m !== undefined) stackMaps.add(m);
  }
  const claims: Claim[] = [
    { name: CATEGORY.v8, ranges: pages.pages.map((p) => ({ start: p.base, end: p.base + p.size })) },
    // Backing stores count as external only where the malloc heap holds them (else they stay with their mapping).
    { name: CATEGORY.external, ranges: intersect(ext.ranges, mallocRanges) },
    { name: CATEGORY.malloc, ranges: mallocRanges },
  ];
  const kindOf = (m: Mapping): string => {
    // gcore writes PROT_NONE reservations (V8's code range, malloc heaps' tails) as read-only.
    if (m.path === undefined && !m.writable && !m.executable) return CATEGORY.reserved;
    if (!m.readable && !m.writable && !m.executable) return CATEGORY.reserved;
    if ([...stackMaps].some((s) => s.start === m.start && s.end === m.end)) return CATEGORY.stacks;
    if (m.path !== undefined) return CATEGORY.files;
    if (m.executable) return CATEGORY.jit;
    return CATEGORY.unexplained;
  };
  const kinds = [CATEGORY.stacks, CATEGORY.jit, CATEGORY.files, CATEGORY.reserved, CATEGORY.unexplained];
  const t0 = session.target;
  const live = t0 instanceof LiveTarget ? t0 : undefined;
  let total: number;
  let categories: MemoryCategory[];
  if (live !== undefined) {
    // A live process: resident pages only (pagemap), reconciled to smaps_rollup's Rss.
    const resident = ResidentPages.read(live.pid, maps);
    const r = reconcile(maps, claims, kindOf, kinds, (m, s, e) => resident.bytesIn(m, s, e));
    const rss = rssBytes(live.pid) ?? r.total;
    categories = [...r.categories];
    if (rss !== r.total) categories.push({ name: CATEGORY.outside, bytes: rss - r.total });
    total = rss;
  } else {
    const r = reconcile(maps, claims, kindOf, kinds);
    total = r.total;
    categories = [...r.categories];
  }
  return {
    total,
    measure: live !== undefined ? 'resident' : 'mapped',
    categories,
    v8: { spaces: [...spaces.entries()].map(([name, s]) => ({ name, ...s })).sort((a, b) => b.committed - a.committed) },
    external: { bytes: ext.bytes, holders: ext.holders, top: ext.top },
    ...(malloc ? { malloc } : {}),
    ...(mallocUnsupported ? { mallocUnsupported } : {}),
    notes: [
      live !== undefined ? 'total: RSS (/proc/PID/smaps_rollup); each category counts its resident pages (/proc/PID/pagemap)' : "total: the union of the core's mappings (PT_LOAD and file ranges), resident or not",
      'thread stacks: whole mappings holding a thread stack pointer; external: backing stores and external strings where the malloc heap holds them',
    ],
  };
}

function intersect(a: readonly { start: number; end: number }[], b: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]!.start, b[j]!.start);
    const e = Math.min(a[i]!.end, b[j]!.end);
    if (e > s) out.push({ start: s, end: e });
    if (a[i]!.end < b[j]!.end) i++;
    else j++;
  }
  return out;
}
