// Text rendering of the census (`objects`): aligned COUNT / BYTES / EXAMPLE / CONSTRUCTOR
// { PROPERTIES } rows, largest first, then totals by kind and what the walk covered.
import type { CensusResult } from '../../analysis/census/objects-census.js';
import { padEnd, type Style } from '../style.js';
import { formatBytes, formatCount } from '../units.js';

/** Longest property list shown on a row (the JSON has all of them). */
const MAX_PROPERTIES_TEXT = 160;

/** `Name { a, b, c }`, cut at a readable width. */
export function groupLabel(constructor: string, properties: readonly string[], style: Style): string {
  if (properties.length === 0) return constructor;
  let props = properties.join(', ');
  if (props.length > MAX_PROPERTIES_TEXT) props = `${props.slice(0, MAX_PROPERTIES_TEXT)}…`;
  return `${constructor} ${style.dim(`{ ${props} }`)}`;
}

/** Renders a CensusResult as aligned text. */
export function renderCensus(r: CensusResult, style: Style): string {
  const lines: string[] = [];
  const countW = Math.max(5, ...r.groups.map((g) => formatCount(g.count).length));
  const bytesW = Math.max(5, ...r.groups.map((g) => formatBytes(g.bytes).length));
  const exW = Math.max(7, ...r.groups.map((g) => g.example.length));
  lines.push(style.dim(`${'COUNT'.padStart(countW)}  ${'BYTES'.padStart(bytesW)}  ${padEnd('EXAMPLE', exW)}  CONSTRUCTOR { PROPERTIES }`));
  for (const g of r.groups) {
    lines.push(`${formatCount(g.count).padStart(countW)}  ${formatBytes(g.bytes).padStart(bytesW)}  ${style.dim(padEnd(g.example, exW))}  ${groupLabel(style.bold(g.constructor), g.properties, style)}`);
  }
  if (r.groups.length === 0) lines.push(style.dim('  (no group matches)'));
  else if (r.matched > r.groups.length) lines.push(style.dim(`  … ${formatCount(r.matched - r.groups.length)} more groups (--limit 0 lists all)`));
  lines.push('');
  const kinds = r.kinds.map((k) => `${k.kind} ${formatCount(k.count)} (${formatBytes(k.bytes)})`).join(', ');
  lines.push(`${style.bold('by kind')}  ${kinds}`);
  lines.push(`${style.bold('total')}    ${formatCount(r.total.count)} objects, ${formatBytes(r.total.bytes)}`);
  const c = r.coverage;
  const heapBytes = c.scannedBytes + c.freeBytes + c.skippedBytes;
  let cov = `${formatBytes(heapBytes)} of heap in ${formatCount(c.pages)} pages: ${formatBytes(c.scannedBytes)} of objects, ${formatBytes(c.freeBytes)} free, ${formatBytes(c.skippedBytes)} skipped`;
  if (c.corruptStretches > 0) cov += style.yellow(` (${formatCount(c.corruptStretches)} stretches did not parse)`);
  if (c.unreadableBytes > 0) cov += style.yellow(`; ${formatBytes(c.unreadableBytes)} of memory is not in the core (truncated?), pages there are not counted`);
  lines.push(`${style.bold('heap')}     ${cov}`);
  if (r.reachable) {
    lines.push(style.dim(`mode     reachable only: a mark from ${formatCount(r.live?.roots ?? 0)} roots (stacks, registers, the Isolate, strong global handles, microtask queues, read-only space)`));
  } else {
    lines.push(style.dim('mode     everything the heap holds, garbage not yet collected included (--reachable counts only what the roots reach)'));
  }
  return lines.join('\n') + '\n';
}
