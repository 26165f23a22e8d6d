// The compiled program: what crosses to the agent, as JSON data (never code). It is the checked
// syntax tree without positions, each probe description expanded and each aggregation declared
// once. The agent interprets it (src/trace/agent/agent.cts) and knows exactly these node kinds.
import type { AggFn, BinaryOp } from './ast.js';

/** Role: an expression node the agent evaluates. */
export type CExpr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string }
  /** A probe argument by name (`url`) or position (`arg0`). */
  | { readonly kind: 'arg'; readonly name: string }
  /** A built-in variable (timestamp, walltimestamp, pid, probeprov, probename). */
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'self'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: '!' | '-'; readonly operand: CExpr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: CExpr; readonly right: CExpr }
  | { readonly kind: 'cond'; readonly test: CExpr; readonly then: CExpr; readonly else: CExpr }
  | { readonly kind: 'call'; readonly fn: 'jstack' | 'strlen'; readonly args: readonly CExpr[] };

/** Role: a statement node the agent runs. */
export type CStmt =
  | { readonly kind: 'agg'; readonly agg: number; readonly keys: readonly CExpr[]; readonly args: readonly CExpr[] }
  | { readonly kind: 'assign'; readonly name: string; readonly value: CExpr }
  | { readonly kind: 'printf'; readonly format: string; readonly args: readonly CExpr[] }
  | { readonly kind: 'printa'; readonly aggs: readonly number[] }
  | { readonly kind: 'clear'; readonly agg: number }
  | { readonly kind: 'trunc'; readonly agg: number; readonly keep: number }
  | { readonly kind: 'exit' };

/** Role: one probe a clause enables. */
export type CProbe =
  | { readonly type: 'builtin'; readonly provider: string; readonly name: string }
  /** Module probes (nodescope/probes), matched by glob against the providers the app creates. */
  | { readonly type: 'module'; readonly provider: string; readonly name: string }
  | { readonly type: 'begin' }
  | { readonly type: 'end' }
  | { readonly type: 'tick'; readonly ms: number };

/** Role: one compiled clause. */
export interface CClause {
  readonly probes: readonly CProbe[];
  readonly predicate?: CExpr;
  readonly body: readonly CStmt[];
}

/** Role: an aggregation, declared once with its function and key arity. */
export interface CAgg {
  readonly name: string;
  readonly fn: AggFn;
  readonly keyCount: number;
  /** lquantize's lower bound, upper bound and step. */
  readonly lquantize?: { readonly lo: number; readonly hi: number; readonly step: number };
}

/** Role: the whole program as the agent receives it. */
export interface CompiledProgram {
  readonly version: 1;
  readonly clauses: readonly CClause[];
  readonly aggs: readonly CAgg[];
  /** Bounds on the agent's memory: distinct keys per aggregation, buffered output records. */
  readonly limits: { readonly maxKeys: number; readonly maxRecords: number; readonly maxStack: number };
}

/** The limits used unless the command says otherwise. */
export const DEFAULT_LIMITS: CompiledProgram['limits'] = { maxKeys: 10_000, maxRecords: 10_000, maxStack: 64 };
