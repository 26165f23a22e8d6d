// Human units for counts and sizes in tables: `168.0 MB`, `12,345`. Decimal megabytes, as
// DevTools and mdb_v8 print them, with the exact byte count kept in --json.

/** Formats a byte count as `512 B`, `3.4 kB`, `168.0 MB`, `1.41 GB`. */
export function formatBytes(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return `${n} B`;
  if (abs < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (abs < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** Formats an integer with thousands separators (`3,000,000`). */
export function formatCount(n: number): string {
  // Not toLocaleString: loading ICU's number formatting costs ~80 ms on the first call.
  const s = String(Math.abs(Math.round(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Formats a signed delta (`+1,234`, `−12`). */
export function formatDelta(n: number, fmt: (x: number) => string = formatCount): string {
  return n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : '0';
}
