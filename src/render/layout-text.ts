// Text rendering of LayoutInfo: a header with versions, then one aligned row per constant.
import type { LayoutInfo } from '../analysis/layout-info.js';
import { padEnd, type Style } from './style.js';

/** Renders LayoutInfo as aligned text. */
export function renderLayout(info: LayoutInfo, style: Style): string {
  const lines = [
    `${style.bold('target')}   ${info.target}`,
    `${style.bold('binary')}   ${info.binary}${info.buildId ? style.dim(`  build-id ${info.buildId}`) : ''}`,
    `${style.bold('node')}     ${info.nodeVersion ?? 'unknown'}`,
    `${style.bold('v8')}       ${info.v8Version ?? 'unknown'}`,
    `${style.bold('constants')} ${info.constants.filter((c) => c.value !== undefined).length} resolved, ${info.missing.length} optional missing`,
    '',
  ];
  const w = Math.max(...info.constants.map((c) => c.name.length)) + 2;
  lines.push(style.dim(`${padEnd('NAME', w)}${padEnd('VALUE', 12)}${padEnd('SOURCE', 10)}SYMBOL`));
  for (const c of info.constants) {
    if (c.value === undefined) {
      lines.push(`${padEnd(c.name, w)}${padEnd(style.yellow('missing'), 12)}${padEnd('', 10)}${c.required ? style.red('required') : style.dim('optional')}`);
      continue;
    }
    const src = c.source === 'fallback' ? style.yellow('fallback') : c.source === 'memory' ? style.cyan('memory') : 'file';
    const note = c.source === 'fallback' ? style.dim(c.fallbackDoc ?? '') : c.symbol ?? '';
    lines.push(`${padEnd(c.name, w)}${padEnd(String(c.value), 12)}${padEnd(src, 10)}${note}`);
  }
  return lines.join('\n') + '\n';
}
