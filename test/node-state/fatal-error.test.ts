// How the process ended, on kernel cores of every tested major, against what each crash
// scenario recorded before it died: an uncaught TypeError thrown from a timer callback
// (SIGTRAP), an unhandled rejection (SIGABRT through TriggerUncaughtException) and an out of
// memory abort; each through `info`, `why` and the header of `stack`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeCore, type CoreResult } from '../harness/make-core.js';
import { testedMajors } from '../harness/node-binaries.js';
import { runCli } from '../cli/run-cli.js';

interface Fatal {
  kind: string;
  signal?: string;
  detail?: string;
  thread?: { tid: number; name: string };
  error?: { constructor: string; message: string; stack?: string; frames: { function: string; file: string; line?: number }[] };
  jsFrames: { function: string; file: string }[];
}
interface Recorded {
  frames: string[];
  signal: string;
  kind: string;
}

function cli(core: CoreResult, args: readonly string[]): string {
  const r = runCli([...args, core.corePath, '--binary', core.binary], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, `nodescope ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function recorded(core: CoreResult): Recorded {
  return (core.manifest as unknown as { values: Recorded }).values;
}

for (const major of testedMajors()) {
  describe(`fatal errors, Node ${major}`, { timeout: 900_000 }, () => {
    test('uncaught exception: the thrown TypeError, its message and its stack with function names', async () => {
      const core = await makeCore(major, 'ledger-crash');
      const want = recorded(core);
      assert.equal(core.signal, want.signal);
      const fatal = (JSON.parse(cli(core, ['info', '--json'])) as { fatal: Fatal }).fatal;
      assert.equal(fatal.kind, 'uncaught-exception');
      assert.equal(fatal.signal, want.signal);
      assert.equal(fatal.thread?.tid, core.pid);
      const err = core.manifest.error!;
      assert.equal(fatal.error?.constructor, err.name);
      assert.equal(fatal.error?.message, err.message);
      const lines = (fatal.error?.stack ?? '').split('\n');
      assert.equal(lines[0], `${err.name}: ${err.message}`);
      // V8's own report before the abort lists the same frames (innermost first).
      const v8 = core.abortReport!.frames.filter((f) => f.file === core.manifest.script);
      const mine = fatal.error!.frames.filter((f) => f.file === core.manifest.script);
      assert.deepEqual(mine.map((f) => [f.function, f.line]), v8.map((f) => [f.function, f.line]));
      assert.deepEqual(mine.slice(0, 3).map((f) => f.function), want.frames.slice(0, 3));
      assert.match(lines.find((l) => l.includes('runBatch')) ?? '', /^ {4}at Timeout\.runBatch \[as _onTimeout\] \(/, 'a method call named as V8 names it');
      const header = cli(core, ['stack']).split('\n');
      assert.equal(header[0], `uncaught ${err.name}: ${err.message}`);
      assert.match(header.slice(1, 4).join('\n'), /at reconcileLedger \(.*ledger-crash\.js:\d+:\d+\)/);
      const stackJson = JSON.parse(cli(core, ['stack', '--json'])) as { fatal?: Fatal; threads: unknown[] };
      assert.equal(stackJson.fatal?.kind, 'uncaught-exception');
      assert.ok(stackJson.threads.length > 0);
    });

    test('unhandled rejection: the RangeError the promise rejected with', async () => {
      const core = await makeCore(major, 'rejection-crash');
      const want = recorded(core);
      const why = JSON.parse(cli(core, ['why', '--json'])) as { summary: string; fatal: Fatal };
      assert.equal(why.fatal.kind, 'unhandled-rejection');
      assert.equal(why.fatal.signal, want.signal);
      assert.equal(why.fatal.error?.constructor, core.manifest.error!.name);
      assert.equal(why.fatal.error?.message, core.manifest.error!.message);
      assert.equal(why.summary, `unhandled rejection ${core.manifest.error!.name}: ${core.manifest.error!.message}`);
      assert.equal(why.fatal.error?.frames[0]?.function, want.frames[0]);
    });

    for (const scenario of ['signal-crash', 'abort-crash']) {
      test(`${scenario}: the signal, the native function and the JS function that called it`, async () => {
        const core = await makeCore(major, scenario);
        const want = recorded(core);
        const why = JSON.parse(cli(core, ['why', '--json'])) as { summary: string; fatal: Fatal };
        assert.equal(why.fatal.kind, want.kind);
        assert.equal(why.fatal.signal, want.signal);
        assert.ok(why.fatal.jsFrames.some((f) => f.function === want.frames[0] && f.file === core.manifest.script));
        assert.match(why.fatal.detail ?? '', new RegExp(`called from ${want.frames[0]} \\(`));
        assert.match(why.summary, want.kind === 'signal' ? /^killed by SIGSEGV in kill, called from flushJournal/ : /^aborted \(SIGABRT\) in node::Abort, called from dumpAndDie/);
      });
    }

    test('out of memory: the kind, the allocating JS function, and the largest heap groups', async () => {
      const core = await makeCore(major, 'oom-crash');
      const want = recorded(core);
      const why = JSON.parse(cli(core, ['why', '--json'])) as { summary: string; fatal: Fatal; heap?: { groups: { constructor: string; properties: string[]; count: number }[] } };
      assert.equal(why.fatal.kind, 'oom');
      assert.equal(why.fatal.signal, 'SIGABRT');
      assert.equal(why.fatal.jsFrames[0]?.function, want.frames[0]);
      assert.match(why.summary, /^out of memory: JavaScript heap out of memory in leakSessions/);
      assert.ok(why.heap !== undefined && why.heap.groups.length > 0, 'the census runs for an OOM');
      const text = cli(core, ['why']);
      assert.match(text, /largest heap groups/);
    });
  });
}
