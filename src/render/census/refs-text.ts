// Text rendering of refs (who holds an object) and of a retaining path (one edge a line, from
// the root down, as DevTools' retainers panel reads).
import type { EdgeName } from '../../analysis/census/edge-names.js';
import type { RefsResult } from '../../analysis/census/refs.js';
import type { PathResult } from '../../analysis/census/retaining-path.js';
import { padEnd, type Style } from '../style.js';

/** `.url`, `[3]`, `context cache`, `entry 'k'`, `(map)`: an edge the way JS would write it. */
export function edgeText(e: EdgeName | { kind: 'root'; name: string }): string {
  switch (e.kind) {
    case 'property':
      return typeof e.name === 'string' && /^[A-Za-z_$][\w$]*$/.test(e.name) ? `.${e.name}` : `[${JSON.stringify(e.name)}]`;
    case 'element':
      return `[${e.name}]`;
    case 'context':
      return `context variable ${e.name}`;
    case 'entry':
      return `entry ${e.name}`;
    case 'root':
      return String(e.name);
    default:
      return `(${e.name})`;
  }
}

/** Renders a RefsResult. */
export function renderRefs(r: RefsResult, style: Style): string {
  const lines = [`${style.bold(r.target)} ${r.targetKind} is held by ${r.total} reference${r.total === 1 ? '' : 's'}${r.roots.length ? ` and ${r.roots.length} root${r.roots.length === 1 ? '' : 's'}` : ''}`];
  const w = Math.max(8, ...r.refs.map((x) => x.holder.length));
  for (const x of r.refs) {
    lines.push(`  ${style.dim(padEnd(x.holder, w))}  ${x.holderKind} ${style.cyan(edgeText(x.edge))}${x.unreachable ? style.yellow('  (garbage: nothing live holds it)') : ''}`);
  }
  for (const root of r.roots) lines.push(`  ${style.dim(padEnd(root.at ?? 'root', w))}  ${style.magenta(root.name)}`);
  if (r.refs.length < r.total) lines.push(style.dim(`  … ${r.total - r.refs.length} more (--limit 0 lists all)`));
  if (r.total === 0 && r.roots.length === 0) lines.push(style.yellow('  nothing holds it: it is garbage V8 has not collected yet'));
  return lines.join('\n') + '\n';
}

/** Renders a PathResult, root first. */
export function renderPath(p: PathResult, style: Style): string {
  if (!p.reachable || p.root === undefined) return `${style.bold(p.target)} is not reachable from any root: it is garbage V8 has not collected yet\n`;
  const lines = [`${style.magenta(p.root.name)}${p.root.at ? style.dim(` at ${p.root.at}`) : ''}`];
  p.path.forEach((s, i) => {
    const edge = i === 0 ? '→' : `${style.cyan(edgeText(s.edge))} →`;
    lines.push(`${'  '.repeat(Math.min(i + 1, 12))}${edge} ${s.description} ${style.dim(s.address)}`);
  });
  return lines.join('\n') + '\n';
}
