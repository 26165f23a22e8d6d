// Text rendering of MemoryResult: the reconciled categories with their share of the total, V8's
// spaces, external memory by constructor with the largest holders, and the malloc heap by arena.
import { CATEGORY, type MemoryResult } from '../../analysis/memory/memory-analysis.js';
import { formatBytes } from '../units.js';
import type { Style } from '../style.js';

const pct = (n: number, total: number): string => (total > 0 ? `${((100 * n) / total).toFixed(1)}%` : '-');
const b = (n: number): string => formatBytes(n).padStart(10);

/** Renders the memory breakdown. */
export function renderMemory(r: MemoryResult, style: Style): string {
  const out: string[] = [style.bold(r.measure === 'resident' ? `resident memory: ${formatBytes(r.total)} RSS, by owner` : `address space: ${formatBytes(r.total)} mapped, by owner`)];
  for (const c of r.categories) {
    if (c.bytes === 0 && c.name !== CATEGORY.unexplained) continue;
    out.push(`  ${c.name.padEnd(44)} ${b(c.bytes)} ${pct(c.bytes, r.total).padStart(6)}`);
  }
  out.push('', style.bold('V8 heap by space'), style.dim(`  ${'space'.padEnd(16)} ${'committed'.padStart(10)} ${'used'.padStart(10)} pages`));
  for (const s of r.v8.spaces) out.push(`  ${s.name.padEnd(16)} ${b(s.committed)} ${b(s.used)} ${s.pages}`);
  out.push('', style.bold(`external memory held from JS: ${formatBytes(r.external.bytes)}`));
  for (const h of r.external.holders.slice(0, 20)) out.push(`  ${h.constructor.padEnd(24)} ${String(h.count).padStart(7)} × ${b(h.bytes)}`);
  if (r.external.top.length > 0) {
    out.push(style.dim('  largest holders (owner, backing store):'));
    for (const h of r.external.top) out.push(`    ${h.address} ${h.constructor.padEnd(16)} ${b(h.bytes)}  store ${h.backingStore}`);
  }
  out.push('');
  if (r.malloc !== undefined) {
    const m = r.malloc;
    out.push(style.bold(`malloc heap: ${formatBytes(m.inUse)} in use, ${formatBytes(m.free)} free, ${formatBytes(m.top)} top; fragmentation ${(100 * m.fragmentation).toFixed(1)}%`), style.dim(`  ${m.glibc}`));
    out.push(style.dim(`  ${'arena'.padEnd(16)} ${'heaps'.padStart(5)} ${'chunks'.padStart(8)} ${'in use'.padStart(10)} ${'free'.padStart(10)} ${'top'.padStart(10)} ${'system'.padStart(10)}`));
    for (const a of m.arenas) out.push(`  ${(a.main ? 'main' : a.address).padEnd(16)} ${String(a.heaps).padStart(5)} ${String(a.chunks).padStart(8)} ${b(a.inUse)} ${b(a.free)} ${b(a.top)} ${b(a.systemMem)}`);
    out.push(`  mmapped chunks: ${m.mmapped.count}, ${formatBytes(m.mmapped.bytes)}`);
  } else out.push(style.yellow(`malloc heap: ${r.mallocUnsupported ?? 'unknown'}`));
  for (const n of r.notes) out.push(style.dim(`note: ${n}`));
  return out.join('\n') + '\n';
}
