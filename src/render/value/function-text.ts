// Text of the function, source and closure reports (`function`, `source`, `closure`).
import type { ClosureReport, FunctionReport, SourceReport } from '../../analysis/inspect/function-report.js';
import { renderValue, type ValueTextOptions } from './value-text.js';

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Renders a FunctionReport, one `label: value` line each. */
export function renderFunctionReport(r: FunctionReport, opts: ValueTextOptions = {}): string {
  const lines: string[] = [];
  const title = r.kind === 'class' ? `class ${r.name || '(anonymous)'}` : r.kind === 'bound' ? `[Function: ${r.name}]` : `function ${r.name || '(anonymous)'}`;
  lines.push(`${hex(r.address)}: ${title}`);
  if (r.inferredName !== undefined && r.inferredName !== r.name) lines.push(`  inferred name: ${r.inferredName}`);
  if (r.script !== undefined) lines.push(`  defined at:    ${r.script}${r.line !== undefined ? `:${r.line}:${r.column}` : ''}`);
  if (r.formalParameterCount !== undefined) lines.push(`  parameters:    ${r.formalParameterCount}`);
  if (r.shared !== undefined) lines.push(`  shared info:   ${hex(r.shared)}`);
  if (r.tier !== undefined) lines.push(`  kind:          ${r.tier}${r.tierNote !== undefined ? ` (${r.tierNote})` : ''}`);
  if (r.code !== undefined) lines.push(`  code:          ${hex(r.code)}`);
  if (r.instructionStart !== undefined) lines.push(`  instructions:  ${hex(r.instructionStart)}${r.instructionSize !== undefined ? ` (${r.instructionSize} bytes)` : ''}`);
  if (r.bytecodeArray !== undefined) lines.push(`  bytecode:      ${hex(r.bytecodeArray)}`);
  if (r.bound !== undefined) {
    lines.push(`  target:        ${renderValue(r.bound.target, { ...opts, addresses: true })}`);
    lines.push(`  this:          ${renderValue(r.bound.boundThis, { ...opts, addresses: true })}`);
    r.bound.args.forEach((a, i) => lines.push(`  arg ${i}:         ${renderValue(a, { ...opts, addresses: true })}`));
  }
  return lines.join('\n') + '\n';
}

/** Renders numbered source lines. */
export function renderSourceReport(r: SourceReport): string {
  const width = String(r.lines[r.lines.length - 1]?.line ?? 1).length;
  const head = `${r.function}${r.script !== undefined ? ` (${r.script})` : ''}`;
  return [head, ...r.lines.map((l) => `${String(l.line).padStart(width)}  ${l.text}`)].join('\n') + '\n';
}

/** Renders the closure's variables, innermost context first. */
export function renderClosureReport(r: ClosureReport, opts: ValueTextOptions = {}): string {
  const out: string[] = [`closure ${r.function}`];
  if (r.scopes.length === 0) out.push('  (no captured variables)');
  r.scopes.forEach((s, i) => {
    out.push(`  context ${i} ${hex(s.context)}${s.kind === 'script' ? ' (script)' : ''}${s.note !== undefined ? `: ${s.note}` : ''}`);
    for (const v of s.variables) out.push(`    ${v.name} = ${renderValue(v.value, { breakLength: Infinity, ...opts })}`);
  });
  return out.join('\n') + '\n';
}
