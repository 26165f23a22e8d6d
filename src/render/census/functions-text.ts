// Text rendering of `functions` (closures per function) and `instances` (one constructor's objects).
import type { FunctionsResult } from '../../analysis/census/functions-census.js';
import type { InstancesResult } from '../../analysis/census/instances.js';
import { padEnd, type Style } from '../style.js';
import { formatBytes, formatCount } from '../units.js';
import { renderValue } from '../value/value-text.js';

/** Renders a FunctionsResult. */
export function renderFunctions(r: FunctionsResult, style: Style): string {
  const rows = r.functions.map((f) => ({ c: formatCount(f.count), b: formatBytes(f.bytes), f }));
  const wc = Math.max(5, ...rows.map((x) => x.c.length));
  const wb = Math.max(5, ...rows.map((x) => x.b.length));
  const we = Math.max(7, ...rows.map((x) => x.f.example.length));
  const lines = [style.dim(`${'COUNT'.padStart(wc)}  ${'BYTES'.padStart(wb)}  ${padEnd('EXAMPLE', we)}  FUNCTION`)];
  for (const x of rows) {
    const name = x.f.name || x.f.inferredName || '(anonymous)';
    const where = x.f.script !== undefined ? style.dim(` ${x.f.script}:${x.f.line ?? '?'}:${x.f.column ?? '?'}`) : '';
    lines.push(`${x.c.padStart(wc)}  ${x.b.padStart(wb)}  ${style.dim(padEnd(x.f.example, we))}  ${style.bold(name)}${where}`);
  }
  if (rows.length === 0) lines.push(style.dim('  (no function matches)'));
  else if (r.matched > rows.length) lines.push(style.dim(`  … ${formatCount(r.matched - rows.length)} more functions (--limit 0 lists all)`));
  lines.push(style.dim(`${formatCount(r.closures)} closures of ${formatCount(r.matched)} functions${r.reachable ? ', reachable only' : ', garbage included'}`));
  return lines.join('\n') + '\n';
}

/** Renders an InstancesResult. */
export function renderInstances(r: InstancesResult, style: Style): string {
  const lines: string[] = [];
  for (const x of r.instances) {
    if (x.value !== undefined) lines.push(`${style.dim(x.address)}  ${renderValue(x.value, { addresses: false, breakLength: 100 }).replace(/\n/g, '\n    ')}`);
    else lines.push(x.address);
  }
  const shown = r.instances.length;
  const last = r.offset + shown;
  lines.push(
    style.dim(
      r.total === 0
        ? `no ${r.constructor} objects${r.reachable ? ' reachable' : ''} (nodescope objects lists the constructors)`
        : `${shown === r.total ? `all ${formatCount(r.total)}` : `${formatCount(r.offset + 1)}–${formatCount(last)} of ${formatCount(r.total)}`} ${r.constructor} objects${r.reachable ? ', reachable only' : ''}${last < r.total ? ` (--offset ${last} for more)` : ''}`,
    ),
  );
  return lines.join('\n') + '\n';
}
