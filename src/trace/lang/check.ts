// The type checker and compiler of the probe language: resolves each probe description against
// the built-in catalog (module probes are kept as globs for the agent), checks names and types of
// every expression, each aggregation's function and key arity, printf's conversions and self.
// variables, and emits the CompiledProgram. Every error carries a position and a caret.
import type { AggFn, Clause, Expr, Program, Stmt } from './ast.js';
import { BUILTIN_PROBES, BUILTIN_PROVIDERS, BUILTIN_VARIABLES, globMatch, type BuiltinProbe, type ValueType } from '../probe-catalog.js';
import { DEFAULT_LIMITS, type CAgg, type CClause, type CExpr, type CProbe, type CStmt, type CompiledProgram } from './compiled-program.js';
import { TraceProgramError, type SourcePos } from './program-error.js';

/** Role: options of compileProgram. */
export interface CompileOptions {
  readonly limits?: Partial<CompiledProgram['limits']>;
}

/** Role: what a clause may read: named probe arguments with their types, and how many argN. */
interface Scope {
  readonly named: ReadonlyMap<string, ValueType>;
  /** arg0 … arg(positional-1) exist; their types. */
  readonly positional: readonly ValueType[];
  readonly describe: string;
}

const MODULE_ARGS = 10;
const PRINTF_CONVERSIONS = 'diuxXfegcsS';
const MAX_LQUANTIZE_BUCKETS = 1000;

/** Parses nothing: checks and compiles a parsed program; throws TraceProgramError. */
export function compileProgram(program: Program, opts: CompileOptions = {}): CompiledProgram {
  return new Checker(program).compile({ ...DEFAULT_LIMITS, ...opts.limits });
}

/** Role: how a probe description of a program resolved (for --list and the start line). */
export function tickMs(name: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|hz)?$/.exec(name);
  if (m === null) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'hz' ? 1000 / n : n * { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
  return Number.isFinite(ms) ? ms : undefined;
}

function unify(a: ValueType, b: ValueType): ValueType | undefined {
  if (a === b) return a;
  if (a === 'any') return b;
  if (b === 'any') return a;
  return undefined;
}

class Checker {
  private readonly aggs = new Map<string, { decl: CAgg; index: number; keyTypes: ValueType[]; pos: SourcePos }>();
  private readonly selfTypes = new Map<string, ValueType>();
  constructor(private readonly program: Program) {}

  private fail(what: string, pos: SourcePos): never {
    throw new TraceProgramError(what, pos, this.program.source, this.program.file);
  }

  compile(limits: CompiledProgram['limits']): CompiledProgram {
    // self. variables are typed by their assignments, wherever they are in the program.
    for (const c of this.program.clauses) for (const s of c.body) if (s.kind === 'assign') this.noteSelf(s.name, s.value, c, s.pos);
    const scopes = this.program.clauses.map((c) => this.scopeOf(c));
    // Aggregations are declared in program order, so checking printa anywhere sees them all.
    this.program.clauses.forEach((c, i) => { for (const s of c.body) if (s.kind === 'agg') this.declare(s, scopes[i]!.scope); });
    const clauses: CClause[] = this.program.clauses.map((c, i) => this.clause(c, scopes[i]!));
    return { version: 1, clauses, aggs: [...this.aggs.values()].map((a) => a.decl), limits };
  }

  private noteSelf(name: string, value: Expr, c: Clause, pos: SourcePos): void {
    // A first pass types the value with a lenient scope; the clause pass checks it for real.
    const t = this.lenientType(value, c);
    const had = this.selfTypes.get(name);
    if (had === undefined) { this.selfTypes.set(name, t); return; }
    const u = unify(had, t);
    if (u === undefined) this.fail(`self.${name} is assigned a ${t} here but a ${had} elsewhere`, pos);
    this.selfTypes.set(name, u);
  }

  private lenientType(e: Expr, c: Clause): ValueType {
    try {
      return this.typeOf(e, this.scopeOf(c).scope, true);
    } catch (err) {
      if (err instanceof TraceProgramError) return 'any';
      throw err;
    }
  }

  private scopeOf(c: Clause): { probes: CProbe[]; scope: Scope } {
    const probes: CProbe[] = [];
    const builtins: BuiltinProbe[] = [];
    let modules = false;
    let special = false;
    for (const d of c.probes) {
      if (d.text === 'BEGIN' || d.text === 'END') {
        probes.push({ type: d.text === 'BEGIN' ? 'begin' : 'end' });
        special = true;
        continue;
      }
      if (d.provider === 'tick' || d.provider === 'tick-' || /^tick-/.test(d.text)) {
        const spec = d.provider === 'tick' ? d.name : d.text.slice(5);
        const ms = tickMs(spec);
        if (ms === undefined) this.fail(`'${d.text}': a tick probe names its interval, e.g. tick:5s, tick:100ms, tick:10hz`, d.pos);
        if (ms < 10) this.fail(`'${d.text}': a tick interval is at least 10 ms`, d.pos);
        probes.push({ type: 'tick', ms });
        special = true;
        continue;
      }
      if (d.provider === '') this.fail(`'${d.text}': a probe description is provider:name`, d.pos);
      const namePattern = d.name === '' ? '*' : d.name;
      const matchesBuiltinProvider = BUILTIN_PROVIDERS.some((p) => globMatch(d.provider, p));
      const found = BUILTIN_PROBES.filter((p) => globMatch(d.provider, p.provider) && globMatch(namePattern, p.name));
      for (const p of found) if (!builtins.includes(p)) { builtins.push(p); probes.push({ type: 'builtin', provider: p.provider, name: p.name }); }
      const builtinOnly = BUILTIN_PROVIDERS.includes(d.provider);
      if (!builtinOnly && !/^(BEGIN|END|tick)$/.test(d.provider)) {
        probes.push({ type: 'module', provider: d.provider, name: namePattern });
        modules = true;
      } else if (found.length === 0 && matchesBuiltinProvider) {
        const names = BUILTIN_PROBES.filter((p) => p.provider === d.provider).map((p) => `${p.provider}:${p.name}`);
        this.fail(`probe description '${d.text}' matches no probes (${d.provider} offers ${names.join(', ')})`, d.pos);
      }
    }
    const named = new Map<string, ValueType>();
    let positional: ValueType[] = [];
    if (builtins.length > 0 && !modules && !special) {
      const first = builtins[0]!;
      for (const arg of first.args) {
        const everywhere = builtins.every((b) => b.args.some((x) => x.name === arg.name && x.type === arg.type));
        if (everywhere) named.set(arg.name, arg.type);
      }
      const n = Math.min(...builtins.map((b) => b.args.length));
      positional = first.args.slice(0, n).map((x, i) => (builtins.every((b) => b.args[i]!.type === x.type) ? x.type : 'any'));
    } else if (modules && !special) {
      positional = Array.from({ length: MODULE_ARGS }, () => 'any' as ValueType);
    }
    const list = builtins.map((b) => `${b.provider}:${b.name}`).join(', ');
    return { probes, scope: { named, positional, describe: special ? 'BEGIN, END and tick probes have no arguments' : modules ? 'module probes have arg0…arg9' : `the arguments common to ${list} are ${[...named.keys(), ...positional.map((_, i) => `arg${i}`)].join(', ') || 'none'}` } };
  }

  private declare(s: Extract<Stmt, { kind: 'agg' }>, scope: Scope): void {
    const keyTypes = s.keys.map((k) => this.typeOf(k, scope));
    const prior = this.aggs.get(s.name);
    const shown = `@${s.name}`;
    if (prior !== undefined) {
      if (prior.decl.fn !== s.fn) this.fail(`${shown} is a ${prior.decl.fn}() aggregation (line ${prior.pos.line}), not ${s.fn}()`, s.pos);
      if (prior.decl.keyCount !== s.keys.length) this.fail(`${shown} has ${prior.decl.keyCount} key(s) at line ${prior.pos.line} but ${s.keys.length} here`, s.pos);
      s.keys.forEach((k, i) => {
        const u = unify(prior.keyTypes[i]!, keyTypes[i]!);
        if (u === undefined) this.fail(`key ${i + 1} of ${shown} is a ${prior.keyTypes[i]} at line ${prior.pos.line} but a ${keyTypes[i]} here`, k.pos);
        prior.keyTypes[i] = u;
      });
    }
    const lq = this.aggArgs(s.fn, s.args, s.pos, scope);
    if (prior !== undefined) {
      const p = prior.decl.lquantize;
      if (lq !== undefined && p !== undefined && (p.lo !== lq.lo || p.hi !== lq.hi || p.step !== lq.step)) this.fail(`${shown} is an lquantize(…, ${p.lo}, ${p.hi}, ${p.step}) at line ${prior.pos.line}; the bounds must be the same here`, s.pos);
      return;
    }
    const decl: CAgg = { name: s.name, fn: s.fn, keyCount: s.keys.length, ...(lq !== undefined ? { lquantize: lq } : {}) };
    this.aggs.set(s.name, { decl, index: this.aggs.size, keyTypes, pos: s.pos });
  }

  private aggArgs(fn: AggFn, args: readonly Expr[], pos: SourcePos, scope: Scope): CAgg['lquantize'] {
    const want = fn === 'count' ? 0 : fn === 'lquantize' ? 4 : 1;
    if (args.length !== want) this.fail(`${fn}() takes ${want === 0 ? 'no arguments' : want === 1 ? 'one argument' : 'four arguments (value, low, high, step)'}, not ${args.length}`, args[want]?.pos ?? pos);
    if (want === 0) return undefined;
    this.numeric(args[0]!, scope, `${fn}()'s value`);
    if (fn !== 'lquantize') return undefined;
    const [lo, hi, step] = args.slice(1).map((e) => this.constant(e, 'lquantize bounds'));
    if (!(hi! > lo!)) this.fail(`lquantize's upper bound (${hi}) must be above its lower bound (${lo})`, args[2]!.pos);
    if (!(step! > 0)) this.fail(`lquantize's step must be above 0, not ${step}`, args[3]!.pos);
    if ((hi! - lo!) / step! > MAX_LQUANTIZE_BUCKETS) this.fail(`lquantize(…, ${lo}, ${hi}, ${step}) would have more than ${MAX_LQUANTIZE_BUCKETS} buckets`, args[3]!.pos);
    return { lo: lo!, hi: hi!, step: step! };
  }

  private constant(e: Expr, what: string): number {
    if (e.kind === 'num') return e.value;
    if (e.kind === 'unary' && e.op === '-' && e.operand.kind === 'num') return -e.operand.value;
    return this.fail(`${what} are number constants`, e.pos);
  }

  private numeric(e: Expr, scope: Scope, what: string): void {
    const t = this.typeOf(e, scope);
    if (t !== 'number' && t !== 'any') this.fail(`${what} must be a number, not a ${t}`, e.pos);
  }

  private aggIndex(name: string, pos: SourcePos): number {
    const a = this.aggs.get(name);
    if (a === undefined) this.fail(`@${name} is never assigned an aggregation in this program`, pos);
    return a.index;
  }

  private clause(c: Clause, resolved: { probes: CProbe[]; scope: Scope }): CClause {
    const { scope } = resolved;
    let predicate: CExpr | undefined;
    if (c.predicate !== undefined) {
      this.typeOf(c.predicate, scope);
      predicate = this.expr(c.predicate, scope);
    }
    const body = c.body.map((s) => this.stmt(s, scope));
    return { probes: resolved.probes, ...(predicate !== undefined ? { predicate } : {}), body };
  }

  private stmt(s: Stmt, scope: Scope): CStmt {
    switch (s.kind) {
      case 'agg':
        return { kind: 'agg', agg: this.aggIndex(s.name, s.pos), keys: s.keys.map((k) => this.expr(k, scope)), args: s.args.map((a) => this.expr(a, scope)) };
      case 'assign': {
        const t = this.typeOf(s.value, scope);
        if (t === 'stack') this.fail(`self.${s.name} cannot hold a stack; use jstack() as an aggregation key`, s.value.pos);
        return { kind: 'assign', name: s.name, value: this.expr(s.value, scope) };
      }
      case 'printf': {
        const convs = [...s.format.matchAll(/%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])/g)];
        const wanted = convs.filter((m) => m[4] !== '%');
        for (const m of wanted) if (!PRINTF_CONVERSIONS.includes(m[4]!)) this.fail(`printf: unknown conversion %${m[4]} (use %d %i %u %x %X %f %e %g %c %s)`, s.pos);
        if (wanted.some((m) => m[2] === '*')) this.fail('printf: * widths are not supported', s.pos);
        if (wanted.length !== s.args.length) this.fail(`printf's format has ${wanted.length} conversion(s) but ${s.args.length} argument(s) follow it`, s.pos);
        s.args.forEach((a, i) => {
          const t = this.typeOf(a, scope);
          const conv = wanted[i]![4]!;
          if (conv !== 's' && conv !== 'S' && t !== 'number' && t !== 'any') this.fail(`printf: %${conv} wants a number, but argument ${i + 1} is a ${t}`, a.pos);
        });
        return { kind: 'printf', format: s.format, args: s.args.map((a) => this.expr(a, scope)) };
      }
      case 'printa':
        return { kind: 'printa', aggs: s.names.map((n) => this.aggIndex(n, s.pos)) };
      case 'clear':
        return { kind: 'clear', agg: this.aggIndex(s.name, s.pos) };
      case 'trunc':
        return { kind: 'trunc', agg: this.aggIndex(s.name, s.pos), keep: s.keep };
      case 'exit':
        return { kind: 'exit' };
    }
  }

  /** The type of `e` in `scope`; fails on unknown names and mismatched operands. */
  private typeOf(e: Expr, scope: Scope, lenient = false): ValueType {
    switch (e.kind) {
      case 'num': return 'number';
      case 'str': return 'string';
      case 'var': {
        const b = BUILTIN_VARIABLES[e.name];
        if (b !== undefined) return b.type;
        const named = scope.named.get(e.name);
        if (named !== undefined) return named;
        const m = /^arg(\d+)$/.exec(e.name);
        if (m !== null && Number(m[1]) < scope.positional.length) return scope.positional[Number(m[1])]!;
        return this.fail(`unknown name '${e.name}' (${scope.describe}; built-in variables are ${Object.keys(BUILTIN_VARIABLES).join(', ')})`, e.pos);
      }
      case 'self': {
        const t = this.selfTypes.get(e.name);
        if (t === undefined) {
          if (lenient) return 'any';
          return this.fail(`self.${e.name} is read but never assigned`, e.pos);
        }
        return t;
      }
      case 'unary': {
        const t = this.typeOf(e.operand, scope, lenient);
        if (e.op === '-' && t !== 'number' && t !== 'any') this.fail(`'-' wants a number, not a ${t}`, e.pos);
        return 'number';
      }
      case 'binary': {
        const l = this.typeOf(e.left, scope, lenient);
        const r = this.typeOf(e.right, scope, lenient);
        if (e.op === '&&' || e.op === '||') return 'number';
        if (e.op === '==' || e.op === '!=' || e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') {
          if (unify(l, r) === undefined) this.fail(`'${e.op}' compares a ${l} with a ${r}`, e.pos);
          if (l === 'stack' || r === 'stack') this.fail(`'${e.op}' cannot compare stacks`, e.pos);
          return 'number';
        }
        if (l !== 'number' && l !== 'any') this.fail(`'${e.op}' wants numbers, but its left side is a ${l}`, e.left.pos);
        if (r !== 'number' && r !== 'any') this.fail(`'${e.op}' wants numbers, but its right side is a ${r}`, e.right.pos);
        return 'number';
      }
      case 'cond': {
        this.typeOf(e.test, scope, lenient);
        const a = this.typeOf(e.then, scope, lenient);
        const b = this.typeOf(e.else, scope, lenient);
        const u = unify(a, b);
        if (u === undefined) this.fail(`the branches of '?:' are a ${a} and a ${b}`, e.pos);
        return u;
      }
      case 'call': {
        if (e.fn === 'jstack') {
          if (e.args.length > 1) this.fail('jstack() takes at most one argument (the number of frames)', e.args[1]!.pos);
          if (e.args.length === 1) {
            const a = e.args[0]!;
            if (a.kind !== 'num' || !Number.isInteger(a.value) || a.value < 1 || a.value > 200) this.fail('jstack(n): n is a whole number of frames from 1 to 200', a.pos);
          }
          return 'stack';
        }
        if (e.fn === 'strlen') {
          if (e.args.length !== 1) this.fail('strlen() takes one argument', e.pos);
          const t = this.typeOf(e.args[0]!, scope, lenient);
          if (t !== 'string' && t !== 'any') this.fail(`strlen() wants a string, not a ${t}`, e.args[0]!.pos);
          return 'number';
        }
        if ((['count', 'sum', 'avg', 'min', 'max', 'quantize', 'lquantize', 'stddev'] as string[]).includes(e.fn)) return this.fail(`${e.fn}() is an aggregating function: use it as @name[keys] = ${e.fn}(…)`, e.pos);
        return this.fail(`unknown function '${e.fn}' (functions: jstack, strlen)`, e.pos);
      }
    }
  }

  private expr(e: Expr, scope: Scope): CExpr {
    switch (e.kind) {
      case 'num': return { kind: 'num', value: e.value };
      case 'str': return { kind: 'str', value: e.value };
      case 'var': return BUILTIN_VARIABLES[e.name] !== undefined ? { kind: 'builtin', name: e.name } : { kind: 'arg', name: e.name };
      case 'self': return { kind: 'self', name: e.name };
      case 'unary': return { kind: 'unary', op: e.op, operand: this.expr(e.operand, scope) };
      case 'binary': return { kind: 'binary', op: e.op, left: this.expr(e.left, scope), right: this.expr(e.right, scope) };
      case 'cond': return { kind: 'cond', test: this.expr(e.test, scope), then: this.expr(e.then, scope), else: this.expr(e.else, scope) };
      case 'call': return { kind: 'call', fn: e.fn as 'jstack' | 'strlen', args: e.args.map((a) => this.expr(a, scope)) };
    }
  }
}
