// Address and number helpers. x86-64 user addresses fit below 2^53, so they are plain numbers;
// 64-bit words that may not (tagged Smis, raw registers) travel as bigint only at the edges.

/** Formats an address as `0x` plus lowercase hex. */
export function hex(address: number | bigint): string {
  return '0x' + address.toString(16);
}

/** Parses `0x…` or decimal into a number address; undefined when not a valid address. */
export function parseAddress(text: string): number | undefined {
  const t = text.trim();
  const v = /^0x[0-9a-f]+$/i.test(t) ? BigInt(t) : /^[0-9]+$/.test(t) ? BigInt(t) : undefined;
  if (v === undefined || v > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(v);
}

/** Joins two 32-bit halves into a number when the result fits below 2^53, else undefined. */
export function joinU64(lo: number, hi: number): number | undefined {
  if (hi >= 0x200000) return undefined;
  return hi * 0x1_0000_0000 + lo;
}
