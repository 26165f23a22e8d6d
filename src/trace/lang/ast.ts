// The syntax tree of a trace program, as the parser builds it and the checker annotates it. The
// compiled program the agent runs is this tree with positions dropped (compile.ts), so every node
// kind here is one the agent's interpreter knows.
import type { SourcePos } from './program-error.js';

/** Role: a binary operator of the language. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

/** Role: the aggregating functions. */
export type AggFn = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'quantize' | 'lquantize' | 'stddev';
/** Role: every aggregating function, in the order the docs list them. */
export const AGG_FNS: readonly AggFn[] = ['count', 'sum', 'avg', 'min', 'max', 'quantize', 'lquantize', 'stddev'];

/** Role: an expression. */
export type Expr =
  | { readonly kind: 'num'; readonly value: number; readonly pos: SourcePos }
  | { readonly kind: 'str'; readonly value: string; readonly pos: SourcePos }
  /** A probe argument (`arg0`, `url`) or a built-in variable (`timestamp`). */
  | { readonly kind: 'var'; readonly name: string; readonly pos: SourcePos }
  /** A thread-local (async-context-local) variable, `self.name`. */
  | { readonly kind: 'self'; readonly name: string; readonly pos: SourcePos }
  | { readonly kind: 'unary'; readonly op: '!' | '-'; readonly operand: Expr; readonly pos: SourcePos }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: SourcePos }
  | { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr; readonly pos: SourcePos }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly pos: SourcePos };

/** Role: a statement of an action block. */
export type Stmt =
  | { readonly kind: 'agg'; readonly name: string; readonly keys: readonly Expr[]; readonly fn: AggFn; readonly args: readonly Expr[]; readonly pos: SourcePos }
  | { readonly kind: 'assign'; readonly name: string; readonly value: Expr; readonly pos: SourcePos }
  | { readonly kind: 'printf'; readonly format: string; readonly args: readonly Expr[]; readonly pos: SourcePos }
  /** `printa(@a, @b)`; no names: every aggregation. */
  | { readonly kind: 'printa'; readonly names: readonly string[]; readonly pos: SourcePos }
  | { readonly kind: 'clear'; readonly name: string; readonly pos: SourcePos }
  | { readonly kind: 'trunc'; readonly name: string; readonly keep: number; readonly pos: SourcePos }
  | { readonly kind: 'exit'; readonly pos: SourcePos };

/** Role: one probe description of a clause, split at its first ':'. */
export interface ProbeDesc {
  readonly text: string;
  readonly provider: string;
  readonly name: string;
  readonly pos: SourcePos;
}

/** Role: `probes /predicate/ { actions }`. */
export interface Clause {
  readonly probes: readonly ProbeDesc[];
  readonly predicate?: Expr;
  readonly body: readonly Stmt[];
  readonly pos: SourcePos;
}

/** Role: a parsed program. */
export interface Program {
  readonly clauses: readonly Clause[];
  readonly source: string;
  readonly file: string;
}
