// The malloc layout from glibc's debug file: malloc_state, _heap_info and tcache_perthread_struct
// as DWARF describes them in the compile unit of malloc.c (the one covering _int_malloc).
import type { ElfFile } from '../../elf/elf-file.js';
import { structLayouts, unitForAddress } from '../../dwarf/struct-layout.js';
import { request2size, type MallocLayout } from './malloc-facts.js';

/** Role: the layout from `debug` (the libc debug file at `path`), or undefined when its DWARF lacks a piece. */
export function mallocLayoutFromDwarf(debug: ElfFile, path: string): MallocLayout | undefined {
  const fn = debug.symbols().find((s) => s.name === '_int_malloc' && s.type === 2);
  if (fn === undefined) return undefined;
  const unit = unitForAddress(debug, fn.value);
  if (unit === undefined) return undefined;
  const s = structLayouts(debug, unit, ['malloc_state', '_heap_info', 'tcache_perthread_struct']);
  const st = s.get('malloc_state');
  const m = (k: string): number | undefined => st?.members.get(k);
  const [fastbinsY, top, next, systemMem, lastRemainder] = [m('fastbinsY'), m('top'), m('next'), m('system_mem'), m('last_remainder')];
  if (st === undefined || fastbinsY === undefined || top === undefined || next === undefined || systemMem === undefined || lastRemainder === undefined) return undefined;
  const heap = s.get('_heap_info');
  const tc = s.get('tcache_perthread_struct');
  const entries = tc?.members.get('entries');
  return {
    source: `DWARF of ${path}`,
    // fastbinsY runs up to top: its length is the gap in pointers.
    state: { fastbinsY, nfastbins: (top - fastbinsY) / 8, top, next, systemMem, size: st.size },
    heapInfoSizes: heap !== undefined ? [heap.size] : [48, 32],
    ...(tc !== undefined && entries !== undefined ? { tcacheChunkSize: request2size(tc.size), tcacheCountBytes: entries / 64 } : {}),
  };
}
