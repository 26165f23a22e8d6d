// Text rendering of a FrameReport: the frame line, then `this`, arguments and context variables.
import type { FrameReport } from '../analysis/frame-report.js';
import type { Style } from './style.js';
import { renderValue } from './value/value-text.js';

/** Renders one frame in depth. */
export function renderFrameReport(r: FrameReport, style: Style, addresses: boolean): string {
  const f = r.frame;
  const name = f.kind === 'js' ? f.function || f.inferredName || f.callName || '(anonymous)' : f.kind === 'native' ? (f.symbol ?? f.pc) : `<${f.frameType ?? 'internal'}>`;
  const out = [style.bold(`frame ${r.tid}:${r.index}  ${f.kind}: ${name}`)];
  if (f.kind === 'js') {
    if (f.script) out.push(`  defined at ${f.script}:${f.line ?? '?'}:${f.column ?? '?'}${f.currentLine !== undefined ? `, now at line ${f.currentLine}` : ''}${f.frameType ? style.dim(`  [${f.frameType}]`) : ''}`);
    // mdb_v8's `func:`: follow it with source, function or closure.
    if (f.functionAddress) out.push(`  func ${f.functionAddress}${style.dim('  (nodescope source|function|closure <core> ' + f.functionAddress + ')')}`);
  } else if (f.module) out.push(`  in ${f.module}`);
  out.push(style.dim(`  pc ${f.pc}${f.fp ? `  fp ${f.fp}` : ''}${f.sp ? `  sp ${f.sp}` : ''}`));
  const v = (x: Parameters<typeof renderValue>[0]): string => renderValue(x, { addresses, breakLength: 100 }).replace(/\n/g, '\n    ');
  if (r.this) out.push(`  ${style.dim('this')} = ${v(r.this)}`);
  r.args.forEach((a, i) => out.push(`  ${style.dim(`arg${i + 1}`)} = ${v(a)}`));
  r.scopes.forEach((s, i) => {
    const label = s.kind === 'script' ? 'script context' : i === 0 ? 'context' : `enclosing context ${i}`;
    out.push(style.bold(`  ${label} ${style.dim(s.context)}`) + (s.note ? style.yellow(`  ${s.note}`) : ''));
    for (const x of s.variables) out.push(`    ${x.name} = ${renderValue(x.value, { addresses, breakLength: Infinity })}`);
  });
  if (f.kind === 'js' && r.scopes.length === 0) out.push(style.dim('  (no context-allocated variables)'));
  return out.join('\n') + '\n';
}
