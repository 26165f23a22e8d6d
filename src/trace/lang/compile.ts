// The front door of the probe language: program text in, CompiledProgram (JSON data for the
// agent) out, or a TraceProgramError with line, column and caret. Runs entirely on our side.
import { compileProgram, type CompileOptions } from './check.js';
import type { CompiledProgram } from './compiled-program.js';
import { parseProgram } from './parser.js';

/** Parses, checks and compiles `source` (named `file` in errors). */
export function compileTrace(source: string, file = '<program>', opts: CompileOptions = {}): CompiledProgram {
  return compileProgram(parseProgram(source, file), opts);
}
