// Finds glibc's main_arena without its symbol (no debug file installed): a malloc_state in libc's
// writable data whose empty bins point at themselves (malloc.c's bin_at(m, i) is the address of
// bins[2i − 2] minus 16, and an empty bin's fd and bk hold it) and whose `next` chain of arenas
// comes back to it. Not used when the debug file names main_arena.
import type { AddressSpace, Mapping } from '../../target/address-space.js';
import { MALLOC_STATE as S } from './malloc-facts.js';

/** Bins of the 127 that must be empty and self-linked before a candidate is believed. */
const MIN_EMPTY_BINS = 32;

/** Role: the runtime address of main_arena in libc's writable mappings, or undefined. */
export function findMainArena(space: AddressSpace, libcMappings: readonly Mapping[]): number | undefined {
  let best: { at: number; empty: number } | undefined;
  for (const m of libcMappings) {
    if (!m.writable) continue;
    const data = space.tryRead(m.start, m.end - m.start);
    if (data === undefined) continue;
    const word = (off: number): number => data.readUInt32LE(off + 4) * 0x1_0000_0000 + data.readUInt32LE(off);
    for (let off = 0; off + S.size <= data.length; off += 16) {
      const at = m.start + off;
      // bins[0] (unsorted) of an arena at `at`, when empty: bin_at(1) = at + bins − 16.
      let empty = 0;
      for (let i = 0; i < 127; i++) {
        const fd = off + S.bins + 16 * i;
        if (word(fd) === at + S.bins + 16 * i - 16) empty++;
      }
      if (empty < MIN_EMPTY_BINS || (best !== undefined && best.empty >= empty)) continue;
      if (nextChainReturns(space, at, word(off + S.next))) best = { at, empty };
    }
  }
  return best?.at;
}

function nextChainReturns(space: AddressSpace, start: number, first: number): boolean {
  let a = first;
  for (let n = 0; n < 1024; n++) {
    if (a === start) return true;
    const b = space.tryRead(a + S.next, 8);
    if (b === undefined) return false;
    a = b.readUInt32LE(4) * 0x1_0000_0000 + b.readUInt32LE(0);
  }
  return false;
}
