// Text of `function --disassemble`: the function report, then one line per instruction (address,
// bytes, AT&T text, the builtin a direct call or jump lands in), as objdump -d lays it out.
import type { DisassemblyReport } from '../../analysis/inspect/disassembly.js';
import { renderFunctionReport } from './function-text.js';

/** Widest byte column (15 bytes is the longest x86 instruction). */
const BYTES_WIDTH = 15 * 3;

/** Renders a DisassemblyReport. */
export function renderDisassembly(r: DisassemblyReport): string {
  const lines = [renderFunctionReport(r.function).trimEnd()];
  if (r.note !== undefined) lines.push(`  (${r.note})`);
  for (const i of r.instructions) {
    const bytes = (i.bytes.match(/../g) ?? []).join(' ');
    const name = i.targetName !== undefined ? ` <${i.targetName}>` : '';
    lines.push(`  0x${i.address.toString(16)}:  ${bytes.padEnd(BYTES_WIDTH)} ${i.text}${name}`);
  }
  if (r.truncated) lines.push('  … (more instructions: raise --max-instructions)');
  return lines.join('\n') + '\n';
}
