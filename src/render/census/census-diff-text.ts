// Text rendering of a census diff: growth per group, largest first, then the totals.
import type { CensusDiffResult } from '../../analysis/census/census-diff.js';
import type { Style } from '../style.js';
import { formatBytes, formatCount, formatDelta } from '../units.js';
import { groupLabel } from './census-text.js';

/** Renders a CensusDiffResult as aligned text. */
export function renderCensusDiff(d: CensusDiffResult, style: Style): string {
  const rows = d.groups.map((g) => ({
    dc: formatDelta(g.countDelta),
    db: formatDelta(g.bytesDelta, formatBytes),
    counts: `${formatCount(g.before.count)} → ${formatCount(g.after.count)}`,
    g,
  }));
  const w1 = Math.max(6, ...rows.map((r) => r.dc.length));
  const w2 = Math.max(6, ...rows.map((r) => r.db.length));
  const w3 = Math.max(14, ...rows.map((r) => r.counts.length));
  const lines = [style.dim(`${'COUNT±'.padStart(w1)}  ${'BYTES±'.padStart(w2)}  ${'BEFORE → AFTER'.padEnd(w3)}  CONSTRUCTOR { PROPERTIES }`)];
  for (const r of rows) {
    const colour = r.g.countDelta > 0 ? style.red : style.green;
    lines.push(`${colour(r.dc.padStart(w1))}  ${r.db.padStart(w2)}  ${r.counts.padEnd(w3)}  ${groupLabel(style.bold(r.g.constructor), r.g.properties, style)}`);
  }
  if (rows.length === 0) lines.push(style.dim('  (no group changed)'));
  else if (d.matched > rows.length) lines.push(style.dim(`  … ${formatCount(d.matched - rows.length)} more changed groups (--limit 0 lists all)`));
  lines.push('');
  lines.push(`${style.bold('total')}  ${formatCount(d.before.count)} → ${formatCount(d.after.count)} objects (${formatDelta(d.after.count - d.before.count)}), ${formatBytes(d.before.bytes)} → ${formatBytes(d.after.bytes)} (${formatDelta(d.after.bytes - d.before.bytes, formatBytes)})`);
  lines.push(style.dim(d.reachable ? 'mode   reachable objects only' : 'mode   everything each heap holds, garbage included (--reachable for live objects only)'));
  return lines.join('\n') + '\n';
}
