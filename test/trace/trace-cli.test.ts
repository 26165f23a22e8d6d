// trace's edges on the primary major: --list (text and JSON), syntax and type errors (one line,
// the caret, exit 2, nothing injected), a script file, a target that exits mid-trace (the
// aggregations as it left them, a note, exit 0), and Ctrl-C ending a trace with its aggregations.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { listeningPortsOf } from '../profile/live-helpers.js';
import { entriesOf, finalJson, hit, runTraceCli, startService } from './trace-helpers.js';

const major = testedMajors().slice(-1)[0]!;
const bin = await nodeBinary(major);
const work = mkdtempSync(join(tmpdir(), 'nodescope-trace-test-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

test(`node ${bin.version}: --list shows built-in and module probes with their arguments`, { timeout: 60_000 }, async () => {
  const s = await startService(bin.path);
  try {
    const r = await runTraceCli(['trace', '-p', String(s.pid), '--list']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^PROBE\s+KIND\s+ARGUMENTS$/m);
    assert.match(r.stdout, /^gc:done\s+built-in\s+kind:string, flags:number, duration_us:number$/m);
    assert.match(r.stdout, /^http:server-response\s+built-in\s+method:string, url:string, status:number, latency_ms:number, remote_address:string, remote_port:number$/m);
    assert.match(r.stdout, /^svc:req-start\s+module\s+arg0:string, arg1:int$/m);
    const j = await runTraceCli(['trace', '-p', String(s.pid), '--list', '--json']);
    const probes = (JSON.parse(j.stdout) as { probes: Array<{ provider: string; name: string; builtin: boolean; types?: string[] }> }).probes;
    assert.deepEqual(probes.find((p) => p.provider === 'svc' && p.name === 'req-done'), { provider: 'svc', name: 'req-done', args: ['arg0', 'arg1'], types: ['string', 'int'], builtin: false });
    assert.equal(probes.filter((p) => p.builtin).length, 15);
    assert.deepEqual(probes.find((p) => p.provider === 'gc' && p.name === 'done'), { provider: 'gc', name: 'done', args: ['arg0', 'arg1', 'arg2'], fields: ['kind', 'flags', 'duration_us'], builtin: true });
    assert.equal(existsSync(join(tmpdir(), `nodescope-${s.pid}`)), false, 'the agent left with us');
  } finally {
    await s.stop();
  }
});

test(`node ${bin.version}: syntax and type errors stop before anything is injected`, { timeout: 60_000 }, async () => {
  const s = await startService(bin.path);
  try {
    const ports = listeningPortsOf(s.pid);
    const r = await runTraceCli(['trace', '-p', String(s.pid), 'http:server-request { @[url] = count( }']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "nodescope: SYNTAX_ERROR: <program>:1:39: expected an expression, found '}'\n  http:server-request { @[url] = count( }\n                                        ^\n");
    const t = await runTraceCli(['trace', '-p', String(s.pid), 'http:server-request { @[status] = count() }']);
    assert.equal(t.code, 2);
    assert.match(t.stderr, /^nodescope: SYNTAX_ERROR: <program>:1:25: unknown name 'status'/);
    const file = join(work, 'bad.d');
    writeFileSync(file, 'gc:done {\n  @x = sum(kind)\n}\n');
    const f = await runTraceCli(['trace', '-p', String(s.pid), '-e', file]);
    assert.equal(f.code, 2);
    assert.equal(f.stderr, `nodescope: SYNTAX_ERROR: ${file}:2:12: sum()'s value must be a number, not a string\n    @x = sum(kind)\n             ^\n`);
    for (const x of [r, t, f]) assert.doesNotMatch(x.stderr, /inspector/);
    assert.deepEqual(listeningPortsOf(s.pid), ports, 'no inspector opened');
    assert.equal((await hit(s.port, 'GET', '/calls')).body, '0');
  } finally {
    await s.stop();
  }
});

test(`node ${bin.version}: a script file runs; a target exiting mid-trace reports what it had`, { timeout: 60_000 }, async () => {
  const s = await startService(bin.path);
  try {
    const file = join(work, 'count.d');
    writeFileSync(file, '#!/usr/bin/env nodescope trace -e\n/* requests by URL */\nsvc:req-done\n{\n  @[arg0] = count()\n  @codes = sum(arg1)\n}\n');
    const r = await runTraceCli(['trace', '-p', String(s.pid), '-e', file, '--json'], {
      whenLive: async () => {
        for (let i = 0; i < 3; i++) await hit(s.port, 'GET', '/c');
        await hit(s.port, 'GET', '/fail');
        await hit(s.port, 'GET', '/quit');
      },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^note: process ${s.pid} exited mid-trace; the aggregations are as it left them$`, 'm'));
    const j = finalJson(r.stdout);
    assert.deepEqual(entriesOf(j, '@'), { '/c': 3, '/fail': 1 });
    assert.deepEqual(entriesOf(j, '@codes'), { '': 3 * 200 + 500 });
    assert.equal(j.ended, 'target-exited');
    assert.equal(existsSync(join(tmpdir(), `nodescope-${s.pid}`)), false, 'the exiting process took its agent socket with it');
  } finally {
    await s.stop();
  }
});

test(`node ${bin.version}: Ctrl-C ends the trace and prints the aggregations as DTrace does`, { timeout: 60_000 }, async () => {
  const s = await startService(bin.path);
  try {
    let child: import('node:child_process').ChildProcess | undefined;
    const r = await runTraceCli(['trace', '-p', String(s.pid), 'http:server-request { @[method, url] = count() } http:server-response { @lat = quantize(status) }'], {
      onSpawn: (c) => { child = c; },
      whenLive: async () => {
        for (let i = 0; i < 4; i++) await hit(s.port, 'GET', '/c');
        await hit(s.port, 'POST', '/a');
        child!.kill('SIGINT');
      },
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stdout, /^ {2}POST {2}\/a {40,}1$/m);
    assert.match(r.stdout, /^ {2}GET {3}\/c {40,}4$/m);
    assert.match(r.stdout, /^@lat$/m);
    assert.match(r.stdout, /^ {11,}value {2}-{13} Distribution -{13} count$/m);
    assert.match(r.stdout, /^ {13,}128 \|@{40} 5$/m);
  } finally {
    await s.stop();
  }
});

test(`node ${bin.version}: printf and printa print while tracing, in order, then the final aggregations`, { timeout: 60_000 }, async () => {
  const s = await startService(bin.path);
  try {
    const program = 'BEGIN { printf("hello %s %03d|%-4s|%x\\n", "x", 7, "ab", 255) }\nsvc:req-done { @n[arg0] = count() }\nsvc:req-start /arg0 == "/p"/ { printa(@n); printf("printed\\n") }\nsvc:req-start /arg0 == "/end"/ { exit() }\nEND { printf("bye %d\\n", 1) }';
    const r = await runTraceCli(['trace', '-p', String(s.pid), program], {
      whenLive: async () => {
        await hit(s.port, 'GET', '/c');
        await hit(s.port, 'GET', '/c');
        await hit(s.port, 'GET', '/p');
        await hit(s.port, 'GET', '/end');
      },
    });
    assert.equal(r.code, 0, r.stderr);
    const parts = r.stdout.split('\n');
    assert.equal(parts[0], 'hello x 007|ab  |ff');
    const printed = parts.indexOf('printed');
    assert.ok(printed > 0, r.stdout);
    assert.match(parts.slice(1, printed).join('\n'), /^\n@n\n {2}\/c {40,}2\n*$/);
    const bye = parts.indexOf('bye 1');
    assert.ok(bye > printed, r.stdout);
    // The /end request's req-done may or may not land before exit() stops the trace: it is 1 either way.
    const rows = parts.slice(bye + 1).map((l) => /^ {2}(\/\w+) {40,}(\d+)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1]!, Number(m[2])] as const);
    assert.deepEqual(rows.filter(([k]) => k !== '/end'), [['/p', 1], ['/c', 2]], r.stdout);
    assert.ok(rows.every(([, v], i) => i === 0 || rows[i - 1]![1] <= v), `smallest first:\n${r.stdout}`);
  } finally {
    await s.stop();
  }
});

test(`node ${bin.version}: tracing unhandled rejections leaves Node's default as it was: the process still dies of it`, { timeout: 60_000 }, async () => {
  const s = await startService(bin.path);
  let serviceErr = '';
  s.child.stderr!.on('data', (c: Buffer) => { serviceErr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
  try {
    const r = await runTraceCli(['trace', '-p', String(s.pid), 'process:unhandled-rejection { @[name, message] = count() }', '--json'], {
      whenLive: async () => { await hit(s.port, 'GET', '/reject'); },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await exited, 1, 'the rejection still ends the process, as without the probe');
    assert.match(serviceErr, /RangeError: nope/);
    const j = finalJson(r.stdout);
    assert.equal(j.ended, 'target-exited');
    assert.deepEqual(entriesOf(j, '@'), { 'RangeError,nope': 1 });
  } finally {
    await s.stop();
  }
});
