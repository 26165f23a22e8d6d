// Recursive-descent parser of the probe language (a small D): clauses of probe descriptions, an
// optional `/predicate/` and an action block. Inside a predicate a bare `/` ends it, so division
// there needs parentheses (as in D). Statements end with ';', a line break, or the block's '}'.
import { AGG_FNS, type AggFn, type BinaryOp, type Clause, type Expr, type ProbeDesc, type Program, type Stmt } from './ast.js';
import { describe, Lexer } from './lexer.js';

const MAX_DEPTH = 200;

/** Parses a program; throws TraceProgramError (SYNTAX_ERROR) with a position on bad input. */
export function parseProgram(source: string, file = '<program>'): Program {
  return new Parser(new Lexer(source, file)).program();
}

const LEVELS: ReadonlyArray<readonly BinaryOp[]> = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];

class Parser {
  private depth = 0;
  private inPredicate = false;
  constructor(private readonly lx: Lexer) {}

  program(): Program {
    const clauses: Clause[] = [];
    while (this.lx.peek().kind !== 'eof') clauses.push(this.clause());
    if (clauses.length === 0) throw this.lx.error('the program has no probe clauses', this.lx.peek().pos);
    return { clauses, source: this.lx.source, file: this.lx.file };
  }

  private clause(): Clause {
    const probes: ProbeDesc[] = [];
    for (;;) {
      const { text, pos } = this.lx.probeSpec();
      if (text === '') throw this.lx.error(`expected a probe description, found ${describe(this.lx.peek())}`, pos);
      const colon = text.indexOf(':');
      const provider = colon < 0 ? text : text.slice(0, colon);
      const name = colon < 0 ? '' : text.slice(colon + 1);
      probes.push({ text, provider, name, pos });
      if (!this.lx.eat(',')) break;
    }
    let predicate: Expr | undefined;
    if (this.lx.eat('/')) {
      this.inPredicate = true;
      predicate = this.expr();
      this.inPredicate = false;
      this.lx.expect('/', 'to end the predicate (use parentheses for division in a predicate)');
    }
    const open = this.lx.expect('{', 'to start the action block');
    const body: Stmt[] = [];
    while (!this.lx.eat('}')) {
      if (this.lx.eat(';')) continue;
      body.push(this.statement());
      const t = this.lx.peek();
      if (t.kind === 'punct' && (t.text === ';' || t.text === '}')) continue;
      if (t.kind === 'eof') throw this.lx.error(`the action block opened here is not closed with '}'`, open.pos);
      if (!t.newlineBefore) throw this.lx.error(`expected ';' or '}' after the statement, found ${describe(t)}`, t.pos);
    }
    return { probes, ...(predicate !== undefined ? { predicate } : {}), body, pos: probes[0]!.pos };
  }

  private statement(): Stmt {
    const t = this.lx.peek();
    if (t.kind === 'agg') {
      this.lx.next();
      const keys: Expr[] = [];
      if (this.lx.eat('[')) {
        keys.push(this.expr());
        while (this.lx.eat(',')) keys.push(this.expr());
        this.lx.expect(']', 'to close the aggregation key');
      }
      this.lx.expect('=', `after @${t.text}${keys.length ? '[…]' : ''}`);
      const f = this.lx.next();
      if (f.kind !== 'ident' || !(AGG_FNS as readonly string[]).includes(f.text)) throw this.lx.error(`expected an aggregating function (${AGG_FNS.join(', ')}), found ${describe(f)}`, f.pos);
      const args = this.callArgs(`${f.text}`);
      return { kind: 'agg', name: t.text, keys, fn: f.text as AggFn, args, pos: t.pos };
    }
    if (t.kind === 'ident' && t.text === 'self') {
      this.lx.next();
      this.lx.expect('.', "after 'self'");
      const n = this.lx.next();
      if (n.kind !== 'ident') throw this.lx.error(`expected a variable name after 'self.', found ${describe(n)}`, n.pos);
      this.lx.expect('=', `to assign self.${n.text} (an action block holds statements, not bare expressions)`);
      return { kind: 'assign', name: n.text, value: this.expr(), pos: t.pos };
    }
    if (t.kind === 'ident') {
      this.lx.next();
      switch (t.text) {
        case 'printf': {
          this.lx.expect('(', "after 'printf'");
          const f = this.lx.next();
          if (f.kind !== 'str') throw this.lx.error(`printf's first argument is a format string, found ${describe(f)}`, f.pos);
          const args: Expr[] = [];
          while (this.lx.eat(',')) args.push(this.expr());
          this.lx.expect(')', 'to close printf(');
          return { kind: 'printf', format: f.text, args, pos: t.pos };
        }
        case 'printa': {
          this.lx.expect('(', "after 'printa'");
          const names: string[] = [];
          if (!this.lx.eat(')')) {
            names.push(this.aggRef('printa'));
            while (this.lx.eat(',')) names.push(this.aggRef('printa'));
            this.lx.expect(')', 'to close printa(');
          }
          return { kind: 'printa', names, pos: t.pos };
        }
        case 'clear': {
          this.lx.expect('(', "after 'clear'");
          const name = this.aggRef('clear');
          this.lx.expect(')', 'to close clear(');
          return { kind: 'clear', name, pos: t.pos };
        }
        case 'trunc': {
          this.lx.expect('(', "after 'trunc'");
          const name = this.aggRef('trunc');
          let keep = 0;
          if (this.lx.eat(',')) {
            const n = this.lx.next();
            if (n.kind !== 'num' || !Number.isInteger(n.value) || n.value! < 0) throw this.lx.error(`trunc's second argument is a whole number of entries to keep, found ${describe(n)}`, n.pos);
            keep = n.value!;
          }
          this.lx.expect(')', 'to close trunc(');
          return { kind: 'trunc', name, keep, pos: t.pos };
        }
        case 'exit': {
          this.lx.expect('(', "after 'exit'");
          if (!this.lx.eat(')')) {
            const n = this.lx.next();
            if (n.kind !== 'num') throw this.lx.error(`exit takes a number, found ${describe(n)}`, n.pos);
            this.lx.expect(')', 'to close exit(');
          }
          return { kind: 'exit', pos: t.pos };
        }
      }
    }
    throw this.lx.error(`expected a statement (@agg = fn(…), self.x = …, printf, printa, clear, trunc, exit), found ${describe(t)}`, t.pos);
  }

  private aggRef(fn: string): string {
    const a = this.lx.next();
    if (a.kind !== 'agg') throw this.lx.error(`${fn} takes an aggregation such as @ or @name, found ${describe(a)}`, a.pos);
    return a.text;
  }

  private callArgs(fn: string): Expr[] {
    this.lx.expect('(', `after '${fn}'`);
    const args: Expr[] = [];
    const saved = this.inPredicate;
    this.inPredicate = false;
    if (!this.lx.eat(')')) {
      args.push(this.expr());
      while (this.lx.eat(',')) args.push(this.expr());
      this.lx.expect(')', `to close ${fn}(`);
    }
    this.inPredicate = saved;
    return args;
  }

  private expr(): Expr {
    if (++this.depth > MAX_DEPTH) throw this.lx.error(`the expression nests deeper than ${MAX_DEPTH} levels`, this.lx.peek().pos);
    try {
      const test = this.binary(0);
      const q = this.lx.peek();
      if (!this.lx.eat('?')) return test;
      const then = this.expr();
      this.lx.expect(':', "in 'a ? b : c'");
      return { kind: 'cond', test, then, else: this.expr(), pos: q.pos };
    } finally {
      this.depth--;
    }
  }

  private binary(level: number): Expr {
    if (level >= LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.lx.peek();
      if (t.kind !== 'punct' || !(LEVELS[level] as readonly string[]).includes(t.text)) return left;
      if (t.text === '/' && this.inPredicate) return left;
      this.lx.next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: this.binary(level + 1), pos: t.pos };
    }
  }

  private unary(): Expr {
    const t = this.lx.peek();
    if (t.kind === 'punct' && (t.text === '!' || t.text === '-')) {
      this.lx.next();
      if (++this.depth > MAX_DEPTH) throw this.lx.error(`the expression nests deeper than ${MAX_DEPTH} levels`, t.pos);
      try {
        return { kind: 'unary', op: t.text, operand: this.unary(), pos: t.pos };
      } finally {
        this.depth--;
      }
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.lx.next();
    switch (t.kind) {
      case 'num':
        if (!Number.isFinite(t.value)) throw this.lx.error(`number ${t.text} is out of range`, t.pos);
        return { kind: 'num', value: t.value!, pos: t.pos };
      case 'str':
        return { kind: 'str', value: t.text, pos: t.pos };
      case 'ident': {
        if (t.text === 'self') {
          this.lx.expect('.', "after 'self'");
          const n = this.lx.next();
          if (n.kind !== 'ident') throw this.lx.error(`expected a variable name after 'self.', found ${describe(n)}`, n.pos);
          return { kind: 'self', name: n.text, pos: t.pos };
        }
        const p = this.lx.peek();
        if (p.kind === 'punct' && p.text === '(') return { kind: 'call', fn: t.text, args: this.callArgs(t.text), pos: t.pos };
        return { kind: 'var', name: t.text, pos: t.pos };
      }
      case 'punct':
        if (t.text === '(') {
          const saved = this.inPredicate;
          this.inPredicate = false;
          const e = this.expr();
          this.inPredicate = saved;
          this.lx.expect(')', "to close '('");
          return e;
        }
        break;
      default:
        break;
    }
    throw this.lx.error(`expected an expression, found ${describe(t)}`, t.pos);
  }
}
