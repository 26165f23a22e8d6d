// The tokenizer of the probe language: numbers, strings, identifiers, `@aggregation` names and
// punctuation, with positions. Probe descriptions (`http:server-*`, `tick:5s`) are read in their
// own mode, on the parser's request, since `-` and `*` are part of their names.
import { TraceProgramError, type SourcePos } from './program-error.js';

/** Role: one token; `newlineBefore` lets a line break end a statement. */
export interface Token {
  readonly kind: 'num' | 'str' | 'ident' | 'agg' | 'punct' | 'eof';
  /** The punctuation, identifier, aggregation name (without `@`) or string value. */
  readonly text: string;
  readonly value?: number;
  readonly pos: SourcePos;
  readonly newlineBefore: boolean;
}

const PUNCT = ['==', '!=', '<=', '>=', '&&', '||', '{', '}', '(', ')', '[', ']', ',', ';', '.', '=', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':'];
const PROBE_CHAR = /[A-Za-z0-9_\-*?.:]/;
const MAX_PROGRAM = 1 << 20;

/** Role: a cursor over the program text handing out tokens one at a time. */
export class Lexer {
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  private peeked: Token | undefined;

  constructor(readonly source: string, readonly file = '<program>') {
    if (source.length > MAX_PROGRAM) throw this.error('the program is longer than 1 MiB', this.pos());
  }

  /** An error at `pos` in this program. */
  error(what: string, pos: SourcePos): TraceProgramError {
    return new TraceProgramError(what, pos, this.source, this.file);
  }

  /** The current position. */
  pos(): SourcePos {
    return { line: this.line, column: this.offset - this.lineStart + 1, offset: this.offset };
  }

  /** The next token, not consumed. */
  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  /** The next token, consumed. */
  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** Whether the next token is the punctuation `p` (then it is consumed). */
  eat(p: string): boolean {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === p) {
      this.next();
      return true;
    }
    return false;
  }

  /** Consumes the punctuation `p` or fails with what was found instead. */
  expect(p: string, context: string): Token {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === p) return this.next();
    throw this.error(`expected '${p}' ${context}, found ${describe(t)}`, t.pos);
  }

  /** Reads a probe description (`provider:name`, wildcards allowed) at the cursor; '' when none. */
  probeSpec(): { text: string; pos: SourcePos } {
    if (this.peeked !== undefined) {
      // Only called at clause starts, where the parser peeked at most one token to see the end.
      this.offset = this.peeked.pos.offset;
      this.line = this.peeked.pos.line;
      this.lineStart = this.offset - this.peeked.pos.column + 1;
      this.peeked = undefined;
    }
    this.skipSpace();
    const pos = this.pos();
    const start = this.offset;
    while (this.offset < this.source.length && PROBE_CHAR.test(this.source[this.offset]!)) this.offset++;
    return { text: this.source.slice(start, this.offset), pos };
  }

  private skipSpace(): boolean {
    let newline = false;
    const s = this.source;
    while (this.offset < s.length) {
      const c = s[this.offset]!;
      if (c === '\n') {
        newline = true;
        this.offset++;
        this.line++;
        this.lineStart = this.offset;
      } else if (c === ' ' || c === '\t' || c === '\r') {
        this.offset++;
      } else if (c === '/' && s[this.offset + 1] === '*') {
        const open = this.pos();
        const end = s.indexOf('*/', this.offset + 2);
        if (end < 0) throw this.error('unterminated comment', open);
        for (let i = this.offset; i < end; i++) if (s[i] === '\n') { newline = true; this.line++; this.lineStart = i + 1; }
        this.offset = end + 2;
      } else if (c === '/' && s[this.offset + 1] === '/') {
        while (this.offset < s.length && s[this.offset] !== '\n') this.offset++;
      } else if (c === '#' && this.offset === 0 && s[1] === '!') {
        while (this.offset < s.length && s[this.offset] !== '\n') this.offset++;
      } else {
        break;
      }
    }
    return newline;
  }

  private scan(): Token {
    const newlineBefore = this.skipSpace();
    const pos = this.pos();
    const s = this.source;
    if (this.offset >= s.length) return { kind: 'eof', text: '', pos, newlineBefore };
    const c = s[this.offset]!;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[this.offset + 1] ?? ''))) return this.number(pos, newlineBefore);
    if (c === '"') return this.string(pos, newlineBefore);
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.offset, this.offset + 256))!;
      this.offset += m[0].length;
      return { kind: 'ident', text: m[0], pos, newlineBefore };
    }
    if (c === '@') {
      const m = /^@([A-Za-z_][A-Za-z0-9_]*)?/.exec(s.slice(this.offset, this.offset + 256))!;
      this.offset += m[0].length;
      return { kind: 'agg', text: m[1] ?? '', pos, newlineBefore };
    }
    for (const p of PUNCT) {
      if (s.startsWith(p, this.offset)) {
        this.offset += p.length;
        return { kind: 'punct', text: p, pos, newlineBefore };
      }
    }
    throw this.error(`unexpected character ${JSON.stringify(c)}`, pos);
  }

  private number(pos: SourcePos, newlineBefore: boolean): Token {
    const rest = this.source.slice(this.offset, this.offset + 64);
    const m = /^(0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(rest)!;
    const text = m[0];
    if (/^[A-Za-z_0-9]/.test(rest.slice(text.length))) throw this.error(`bad number '${rest.slice(0, text.length + 1)}'`, pos);
    this.offset += text.length;
    return { kind: 'num', text, value: Number(text), pos, newlineBefore };
  }

  private string(pos: SourcePos, newlineBefore: boolean): Token {
    const s = this.source;
    let i = this.offset + 1;
    let value = '';
    for (;;) {
      if (i >= s.length || s[i] === '\n') throw this.error('unterminated string', pos);
      const c = s[i]!;
      if (c === '"') break;
      if (c === '\\') {
        const e = s[i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', r: '\r', '0': '\0' };
        if (e === undefined || map[e] === undefined) throw this.error(`bad escape '\\${e ?? ''}' in a string`, { line: pos.line, column: pos.column + (i - this.offset), offset: i });
        value += map[e];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    this.offset = i + 1;
    return { kind: 'str', text: value, pos, newlineBefore };
  }
}

/** How a token is named in an error message. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the program';
    case 'num': return `number ${t.text}`;
    case 'str': return `string ${JSON.stringify(t.text)}`;
    case 'ident': return `'${t.text}'`;
    case 'agg': return `'@${t.text}'`;
    case 'punct': return `'${t.text}'`;
  }
}
