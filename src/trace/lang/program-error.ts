// The one error of the probe language: a syntax or type error at a line and column of the
// program text, with the offending line and a caret under the column. Raised on our side, before
// anything reaches the target.
import { NodescopeError } from '../../util/errors.js';

/** Role: a position in the program text (1-based line and column, 0-based offset). */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** The source line holding `pos` and a caret line under its column. */
export function caretLines(source: string, pos: SourcePos): string {
  const text = source.split('\n')[pos.line - 1] ?? '';
  const shown = text.replace(/[\x00-\x1f\x7f\u2028\u2029]/g, ' ');
  return `  ${shown}\n  ${' '.repeat(Math.max(0, pos.column - 1))}^`;
}

/** A syntax or type error in a trace program; the message ends with the line and a caret. */
export class TraceProgramError extends NodescopeError {
  readonly code = 'SYNTAX_ERROR';
  constructor(
    readonly what: string,
    readonly pos: SourcePos,
    source: string,
    readonly file = '<program>',
  ) {
    super(`${file}:${pos.line}:${pos.column}: ${what}\n${caretLines(source, pos)}`);
  }
}
