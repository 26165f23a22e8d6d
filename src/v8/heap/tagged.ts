// Decoding of one x64 tagged word without pointer compression: a Smi keeps its 32-bit value in
// the upper half (kSmiShiftSize 31 + kSmiTagSize 1), a HeapObject pointer ends in kHeapObjectTag
// 1 (V8 include/v8-internal.h). A weak reference ends in 3. Words are handled as 32-bit halves.

/** Role: a decoded tagged word: a Smi, a strong heap pointer, or something else. */
export type Tagged =
  | { readonly kind: 'smi'; readonly value: number }
  | { readonly kind: 'heap'; readonly address: number }
  | { readonly kind: 'weak'; readonly address: number }
  | { readonly kind: 'invalid'; readonly lo: number; readonly hi: number };

/** Decodes a tagged word given as little-endian halves (layout validated: Smi shift 31, tag 1/3). */
export function decodeTagged(lo: number, hi: number): Tagged {
  if ((lo & 1) === 0) {
    if (lo === 0) return { kind: 'smi', value: hi | 0 };
    return { kind: 'invalid', lo, hi };
  }
  // x86-64 user space addresses are below 2^47; anything above is not a pointer.
  if (hi >= 0x8000) return { kind: 'invalid', lo, hi };
  const address = hi * 0x1_0000_0000 + ((lo & ~3) >>> 0);
  return (lo & 3) === 1 ? { kind: 'heap', address } : { kind: 'weak', address };
}

/** Encodes a Smi as the 8 little-endian bytes V8 stores (for synthetic heaps in tests). */
export function encodeSmi(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32LE(value, 4);
  return b;
}

/** Encodes a strong pointer to the object at `address` (for synthetic heaps in tests). */
export function encodePointer(address: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(address) + 1n);
  return b;
}
