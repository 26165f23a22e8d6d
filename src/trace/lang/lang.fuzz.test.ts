// Fuzzes the probe language front end: random token soups, mutated valid programs and random
// strings through the lexer, parser and checker. Only TraceProgramErrors may escape, each with a
// position inside the text, and each case ends within its budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileTrace } from './compile.js';
import { TraceProgramError } from './program-error.js';

const BUDGET_MS = 200;
const SEEDS = [
  'gc:done { @["us"] = quantize(duration_us) }',
  'http:server-request /method == "POST"/ { @[url] = count() }',
  'http:server-response { @[status] = quantize(latency_ms) }\ntick:5s { printa(@); clear(@) }',
  'myapp:req-start { self.t = timestamp }\nmyapp:req-done /self.t/ { @["ms"] = quantize((timestamp - self.t) / 1e6); self.t = 0 }',
  'http:* { @[probename, jstack(3)] = count() } END { trunc(@, 2); printa(@) }',
  'loop:lag /lag_ms > 5 ? 1 : 0/ { @l = lquantize(lag_ms, 0, 100, 10); printf("%d %s\\n", lag_ms, probename) }',
];
const TOKENS = ['gc:done', 'http:*', 'BEGIN', 'END', 'tick:1s', '{', '}', '(', ')', '[', ']', '/', ',', ';', '\n', '@', '@a', '=', '==', '!=', '<', '&&', '||', '!', '-', '+', '*', '?', ':', 'self', '.', 't', 'count', 'sum', 'quantize', 'lquantize', 'printf', 'printa', 'clear', 'trunc', 'exit', 'jstack', 'strlen', 'timestamp', 'kind', 'flags', 'duration_us', 'arg0', '1', '0x1f', '1e6', '"s"', '"%d\\n"', '/*', '*/', '//', ' '];

function exercise(src: string): void {
  const start = Date.now();
  try {
    compileTrace(src);
  } catch (e) {
    if (!(e instanceof TraceProgramError)) throw e;
    assert.ok(e.pos.offset >= 0 && e.pos.offset <= src.length, `offset ${e.pos.offset} outside the text`);
    assert.ok(e.pos.line >= 1 && e.pos.column >= 1);
    assert.match(e.message, /\n {2}.*\n {2} *\^$/);
  }
  assert.ok(Date.now() - start < BUDGET_MS, `case took ${Date.now() - start} ms: ${JSON.stringify(src.slice(0, 200))}`);
}

test('random token soups: only typed errors, within budget', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (toks) => exercise(toks.join(' '))), { numRuns: 3000 });
});

test('mutated valid programs: only typed errors, within budget', () => {
  const mutated = fc.tuple(fc.constantFrom(...SEEDS), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 3 })), { maxLength: 6 })).map(([s, edits]) => {
    let out = s;
    for (const [at, len, ins] of edits) {
      const i = at % (out.length + 1);
      out = out.slice(0, i) + ins + out.slice(i + len);
    }
    return out;
  });
  fc.assert(fc.property(mutated, exercise), { numRuns: 3000 });
});

test('random strings and deep nesting: only typed errors, within budget', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), exercise), { numRuns: 2000 });
  exercise(`BEGIN { printf("%d", ${'('.repeat(5000)}1${')'.repeat(5000)}) }`);
  exercise(`BEGIN { printf("%d", ${'-'.repeat(5000)}1) }`);
});
