// Aggregations as DTrace prints them: count/sum/avg/min/max/stddev as tables sorted by value
// (smallest first, so the biggest is next to the prompt), quantize and lquantize as ASCII
// distributions with '@' bars 40 wide, from one bucket below the lowest used to one above the
// highest.
import type { AggregationSnapshot } from '../../trace/trace-run.js';

const BAR = 40;

/** Role: a distribution value as the agent sends it (`from` null: lquantize's "below lo"). */
export interface Distribution {
  readonly count: number;
  readonly sum: number;
  readonly buckets: ReadonlyArray<{ readonly from: number | null; readonly count: number }>;
}

function rank(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && 'count' in v) return Number((v as Distribution).count);
  return 0;
}

/** The entries of `a` in print order: by value, then by key text. */
export function sortedEntries(a: AggregationSnapshot): AggregationSnapshot['entries'] {
  return [...a.entries].sort((x, y) => rank(x.value) - rank(y.value) || x.key.map(String).join('\0').localeCompare(y.key.map(String).join('\0')));
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 1 : 3);
}

function nextPow(b: number): number {
  if (b >= 1) return b * 2;
  if (b === 0) return 1;
  if (b === -1) return 0;
  return b / 2;
}

function prevPow(b: number): number {
  if (b > 1) return b / 2;
  if (b === 1) return 0;
  if (b === 0) return -1;
  return b * 2;
}

/** The rows of a quantize distribution: [label, count]. */
function quantizeRows(d: Distribution): Array<[string, number]> {
  const used = d.buckets.filter((b) => b.count > 0 && b.from !== null).map((b) => b.from as number);
  if (used.length === 0) return [];
  const counts = new Map(d.buckets.map((b) => [b.from, b.count]));
  const rows: Array<[string, number]> = [];
  const last = nextPow(Math.max(...used));
  for (let b = prevPow(Math.min(...used)); ; b = nextPow(b)) {
    rows.push([String(b), counts.get(b) ?? 0]);
    if (b === last || rows.length > 200) break;
  }
  return rows;
}

function lquantizeRows(d: Distribution, lq: { lo: number; hi: number; step: number } | undefined): Array<[string, number]> {
  const counts = new Map(d.buckets.map((b) => [b.from, b.count]));
  const used = d.buckets.filter((b) => b.count > 0);
  if (used.length === 0) return [];
  const lo = lq?.lo ?? Math.min(...used.map((b) => b.from ?? 0));
  const hi = lq?.hi ?? Math.max(...used.map((b) => b.from ?? 0));
  const step = lq?.step ?? 1;
  const all: Array<[number | null, string]> = [[null, `< ${formatNumber(lo)}`]];
  for (let v = lo; v < hi && all.length < 1002; v += step) all.push([v, formatNumber(v)]);
  all.push([hi, `>= ${formatNumber(hi)}`]);
  const idx = all.map(([from]) => counts.get(from) ?? 0);
  const first = Math.max(0, idx.findIndex((c) => c > 0) - 1);
  let lastUsed = idx.length - 1;
  while (lastUsed > 0 && idx[lastUsed] === 0) lastUsed--;
  const last = Math.min(idx.length - 1, lastUsed + 1);
  return all.slice(first, last + 1).map(([, label], i) => [label, idx[first + i]!]);
}

/** A distribution drawn as DTrace draws it. */
export function distributionText(d: Distribution, kind: 'quantize' | 'lquantize', lq?: { lo: number; hi: number; step: number }): string {
  const rows = kind === 'quantize' ? quantizeRows(d) : lquantizeRows(d, lq);
  const total = rows.reduce((n, [, c]) => n + c, 0);
  const width = Math.max(16, ...rows.map(([l]) => l.length));
  const lines = [`${'value'.padStart(width)}  ${'-------------'} Distribution ${'-------------'} count`];
  for (const [label, count] of rows) {
    const bar = total === 0 ? 0 : Math.round((BAR * count) / total);
    lines.push(`${label.padStart(width)} |${'@'.repeat(bar)}${' '.repeat(BAR - bar)} ${count}`);
  }
  return lines.join('\n');
}

function keyText(key: readonly unknown[]): string[] {
  return key.map((k) => (typeof k === 'number' ? formatNumber(k) : String(k)));
}

/** One aggregation as text (no trailing newline), or '' when it is empty. */
export function aggregationText(a: AggregationSnapshot, lq?: { lo: number; hi: number; step: number }): string {
  const entries = sortedEntries(a);
  if (entries.length === 0) return '';
  const out: string[] = [];
  if (a.name !== '@') out.push(a.name);
  if (a.kind === 'quantize' || a.kind === 'lquantize') {
    for (const e of entries) {
      const keys = keyText(e.key);
      if (keys.length > 0) out.push(...keys.flatMap((k) => k.split('\n')).map((k) => `  ${k}`));
      out.push(distributionText(e.value as Distribution, a.kind, lq).split('\n').map((l) => `  ${l}`).join('\n'));
      out.push('');
    }
    return out.join('\n').replace(/\n+$/, '');
  }
  const stacky = entries.some((e) => keyText(e.key).some((k) => k.includes('\n')));
  if (stacky) {
    for (const e of entries) {
      for (const k of keyText(e.key)) out.push(...k.split('\n').map((l) => `              ${l}`));
      out.push(`${formatNumber(Number(e.value)).padStart(20)}`);
      out.push('');
    }
    return out.join('\n').replace(/\n+$/, '');
  }
  const cols = entries[0]!.key.length;
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...entries.map((e) => keyText(e.key)[i]!.length)));
  const valueWidth = Math.max(...entries.map((e) => formatNumber(Number(e.value)).length));
  const keyWidth = widths.reduce((n, w) => n + w + 2, 0);
  const pad = Math.max(valueWidth, 60 - keyWidth);
  for (const e of entries) {
    const keys = keyText(e.key).map((k, i) => k.padEnd(widths[i]!)).join('  ');
    out.push(`  ${keys}${cols > 0 ? '  ' : ''}${formatNumber(Number(e.value)).padStart(pad)}`);
  }
  return out.join('\n');
}

/** Every non-empty aggregation, separated by blank lines as DTrace separates them. */
export function aggregationsText(aggs: readonly AggregationSnapshot[], lquantize: ReadonlyMap<string, { lo: number; hi: number; step: number }> = new Map()): string {
  const parts = aggs.map((a) => aggregationText(a, lquantize.get(a.name))).filter((t) => t !== '');
  return parts.length === 0 ? '' : `\n${parts.join('\n\n')}\n\n`;
}
