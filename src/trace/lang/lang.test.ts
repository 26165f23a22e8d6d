// The probe language front end on known programs: the one-liners, probe expansion, predicates,
// statement ends, tick and lquantize, and each kind of mistake as a typed error at its line and column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTrace } from './compile.js';
import { parseProgram } from './parser.js';
import { TraceProgramError } from './program-error.js';

function errorOf(src: string): TraceProgramError {
  try {
    compileTrace(src);
  } catch (e) {
    assert.ok(e instanceof TraceProgramError, `typed error, got ${String(e)}`);
    return e;
  }
  assert.fail(`no error for ${src}`);
}

test('the issue one-liners compile', () => {
  const lines = [
    'gc:done { @["us"] = quantize(duration_us) }',
    'http:server-request /method == "POST"/ { @[url] = count() }',
    'http:server-response { @[status] = quantize(latency_ms) }\ntick:5s { printa(@); clear(@) }',
    'myapp:req-start { self.t = timestamp }\nmyapp:req-done /self.t/ { @["ms"] = quantize((timestamp - self.t) / 1e6); self.t = 0 }',
    'http:server-request { @[jstack()] = count() }',
  ];
  for (const l of lines) assert.ok(compileTrace(l).clauses.length >= 1, l);
});

test('probe descriptions expand wildcards against the catalog and keep module globs', () => {
  const p = compileTrace('http:server-* { @[probename] = count() } myapp:* , gc:done { @n = count() }');
  assert.deepEqual(p.clauses[0]!.probes, [{ type: 'builtin', provider: 'http', name: 'server-request' }, { type: 'builtin', provider: 'http', name: 'server-response' }]);
  assert.deepEqual(p.clauses[1]!.probes, [{ type: 'module', provider: 'myapp', name: '*' }, { type: 'builtin', provider: 'gc', name: 'done' }]);
  assert.deepEqual(p.aggs, [{ name: '', fn: 'count', keyCount: 1 }, { name: 'n', fn: 'count', keyCount: 0 }]);
});

test('a predicate ends at a bare slash; division inside it needs parentheses', () => {
  const p = compileTrace('http:server-response /(latency_ms / 2) > 10 && status != 200/ { @ = count() }');
  const pred = p.clauses[0]!.predicate!;
  assert.equal(pred.kind, 'binary');
  assert.equal((pred as { op: string }).op, '&&');
  assert.deepEqual(compileTrace('BEGIN { printf("%d\\n", 6 / 3) }').clauses[0]!.body[0], { kind: 'printf', format: '%d\n', args: [{ kind: 'binary', op: '/', left: { kind: 'num', value: 6 }, right: { kind: 'num', value: 3 } }] });
});

test('statements end with ; a line break or }', () => {
  const p = compileTrace('BEGIN {\n  @a = count()\n  @b = sum(1);\n  printa(@a, @b)\n}\nEND { trunc(@a, 3); clear(@b) }');
  assert.equal(p.clauses[0]!.body.length, 3);
  assert.deepEqual(p.clauses[1]!.body, [{ kind: 'trunc', agg: 0, keep: 3 }, { kind: 'clear', agg: 1 }]);
  assert.equal(errorOf('BEGIN { @a = count() @b = count() }').pos.column, 22);
});

test('tick intervals, lquantize bounds and self. variable types', () => {
  const p = compileTrace('tick:250ms { exit() } tick-2s { exit() } loop:lag { @l = lquantize(lag_ms, 0, 100, 10) }');
  assert.deepEqual(p.clauses.map((c) => c.probes[0]), [{ type: 'tick', ms: 250 }, { type: 'tick', ms: 2000 }, { type: 'builtin', provider: 'loop', name: 'lag' }]);
  assert.deepEqual(p.aggs[0], { name: 'l', fn: 'lquantize', keyCount: 0, lquantize: { lo: 0, hi: 100, step: 10 } });
});

test('errors carry line, column and a caret under the column', () => {
  const e = errorOf('gc:done {\n  @x = quantize(kind)\n}');
  assert.equal(e.code, 'SYNTAX_ERROR');
  assert.deepEqual([e.pos.line, e.pos.column], [2, 17]);
  assert.match(e.message, /^<program>:2:17: quantize\(\)'s value must be a number, not a string\n {2} {2}@x = quantize\(kind\)\n {2} {16}\^$/);
});

test('each kind of mistake is a typed error at the right place', () => {
  const cases: Array<[string, RegExp, number, number]> = [
    ['http:server-request { @[nope] = count() }', /unknown name 'nope'/, 1, 25],
    ['http:server-request /method == 1/ { @ = count() }', /compares a string with a number/, 1, 29],
    ['gc:nothing { @ = count() }', /matches no probes/, 1, 1],
    ['gc:done { @a = count(); @a = sum(1) }', /@a is a count\(\) aggregation/, 1, 25],
    ['gc:done { @a[kind] = count(); @a = count() }', /has 1 key\(s\)/, 1, 31],
    ['gc:done { printa(@zz) }', /@zz is never assigned/, 1, 11],
    ['gc:done /self.q/ { @ = count() }', /self\.q is read but never assigned/, 1, 10],
    ['gc:done { self.a = kind } gc:start { self.a = flags }', /self\.a is assigned a number here but a string/, 1, 38],
    ['gc:done { printf("%d %d\\n", flags) }', /2 conversion\(s\) but 1 argument/, 1, 11],
    ['gc:done { printf("%d\\n", kind) }', /%d wants a number/, 1, 26],
    ['gc:done { @ = lquantize(flags, 10, 0, 1) }', /upper bound/, 1, 36],
    ['tick:1ms { exit() }', /at least 10 ms/, 1, 1],
    ['tick:soon { exit() }', /names its interval/, 1, 1],
    ['gc:done { @ = count(1) }', /takes no arguments/, 1, 21],
    ['gc:done { flags + 1 }', /expected a statement/, 1, 11],
    ['gc:done { @ = count() ', /not closed/, 1, 9],
    ['gc:done { @ = count() } }', /expected a probe description/, 1, 25],
    ['gc:done /flags/ { @ = frob() }', /expected an aggregating function/, 1, 23],
    ['gc:done { printf("%d", strlen(flags)) }', /strlen\(\) wants a string/, 1, 31],
    ['gc:done { printf("%s", "unterminated) }', /unterminated string/, 1, 24],
    ['BEGIN { @ = count(); printf("%d", arg0) }', /unknown name 'arg0'/, 1, 35],
    ['http:server-* { @[status] = count() }', /unknown name 'status'/, 1, 19],
    ['', /no probe clauses/, 1, 1],
    ['gc:done { @[jstack(0)] = count() }', /jstack\(n\)/, 1, 20],
  ];
  for (const [src, re, line, col] of cases) {
    const e = errorOf(src);
    assert.match(e.message, re, src);
    assert.deepEqual([e.pos.line, e.pos.column], [line, col], `${src}: ${e.message}`);
  }
});

test('module probes take arg0…arg9 of any type; comments are skipped', () => {
  const p = compileTrace('/* header */ myapp:req-done // trailing\n/arg1 > 5/ { @[arg0] = sum(arg1) }');
  assert.equal(p.clauses[0]!.probes[0]!.type, 'module');
  assert.equal(parseProgram('#!/usr/bin/env nodescope\nBEGIN { exit() }').clauses.length, 1);
});
