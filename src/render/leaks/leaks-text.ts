// Text rendering of LeaksResult in the manner of MDB's ::findleaks: one line per size with the
// count, bytes, a preview and example addresses, then the method and what was scanned.
import type { LeaksResult } from '../../analysis/leaks/find-leaks.js';
import { formatBytes } from '../units.js';
import type { Style } from '../style.js';

/** Renders the leak groups (and every block with --verbose). */
export function renderLeaks(r: LeaksResult, style: Style): string {
  const lines: string[] = [style.dim(`${r.glibc}; ${r.method}`)];
  const total = r.leaks.reduce((a, g) => a + g.count, 0);
  const bytes = r.leaks.reduce((a, g) => a + g.bytes, 0);
  lines.push(`${total} leaked block${total === 1 ? '' : 's'}, ${formatBytes(bytes)} in ${r.leaks.length} size${r.leaks.length === 1 ? '' : 's'} (of ${r.scanned.chunks} allocated chunks, ${formatBytes(r.scanned.bytes)})`);
  if (r.leaks.length > 0) {
    lines.push('', style.bold(`${'SIZE'.padStart(10)} ${'COUNT'.padStart(7)} ${'BYTES'.padStart(10)}  PREVIEW / EXAMPLES`));
    for (const g of r.leaks) {
      lines.push(`${String(g.size).padStart(10)} ${String(g.count).padStart(7)} ${formatBytes(g.bytes).padStart(10)}  ${g.preview}`);
      lines.push(style.dim(`${' '.repeat(31)}${g.examples.join(' ')}${g.count > g.examples.length ? ' …' : ''}`));
    }
  }
  if (r.blocks !== undefined && r.blocks.length > 0) {
    lines.push('', style.bold('every leaked block:'));
    for (const b of r.blocks) lines.push(`  ${b.address} ${String(b.size).padStart(8)}  ${b.preview}`);
  }
  return lines.join('\n') + '\n';
}
