// Text of `triage`: one block per crash group, largest first: count, signature, seen, versions,
// the example core; then the cores that could not be read.
import type { TriageResult } from '../../analysis/node/triage.js';
import type { Style } from '../style.js';

/** Renders `triage`. */
export function renderTriage(r: TriageResult, style: Style): string {
  const lines: string[] = [];
  const cores = r.groups.reduce((a, g) => a + g.count, 0);
  lines.push(style.bold(`${cores} cores in ${r.groups.length} groups`) + (r.failed.length > 0 ? style.yellow(`, ${r.failed.length} unreadable`) : ''));
  for (const g of r.groups) {
    lines.push('');
    lines.push(`${style.bold(`${g.count}×`)}  ${style.red(g.kind)}  ${g.error !== undefined ? `${g.error.constructor}: ${g.error.message}` : ''}  ${style.dim(`[${g.id}]`)}`);
    for (const f of g.frames) lines.push(`      at ${f}`);
    lines.push(style.dim(`      seen ${g.firstSeen} … ${g.lastSeen}; node ${g.nodeVersions.join(', ') || '?'}; V8 ${g.v8Versions.join(', ') || '?'}; ${g.signals.join(', ')}`));
    lines.push(style.dim(`      example ${g.example}${g.error?.example !== undefined ? ` ("${g.error.example}")` : ''}`));
  }
  if (r.failed.length > 0) lines.push('');
  for (const f of r.failed) lines.push(style.yellow(`unreadable: ${f.core}: ${f.problem}`));
  return lines.join('\n') + '\n';
}
