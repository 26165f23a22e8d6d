// Scenario test of `function` (#3) on every tested major: one function per execution tier (forced
// with natives syntax), each with its tier, its instructions in executable memory and their
// disassembly, reached through JSFunction::code (Node 18, 22; Node 20 by documented fallbacks) or
// the JSDispatchTable (Node 24, 26). The same core checks dictionary-mode property order against
// Object.keys and the rendering of an Error's never-formatted stack from its captured call sites.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { Session } from '../../src/analysis/session.js';
import { functionDisassembly } from '../../src/analysis/inspect/disassembly.js';
import { functionReport } from '../../src/analysis/inspect/function-report.js';
import { inspectAddress } from '../../src/analysis/inspect/inspect-value.js';
import { renderFunctionReport } from '../../src/render/value/function-text.js';
import { keyText, ownNamedProperties } from '../../src/v8/heap/named-properties.js';
import type { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { runCli } from '../cli/run-cli.js';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { findMenagerieRoot } from '../inspect/menagerie-root.js';
import { gcoreAvailable, makeFixtureCore } from './fixture-core.js';

const FIXTURE = fileURLToPath(new URL('../../../test/v8/fixtures/function-tiers.cjs', import.meta.url));
const MARKER = 'NODESCOPE_FUNCTION_TIERS_ROOT';

/** The fixture's `values` object as name → address. */
function fixtureValues(heap: V8Heap): Map<string, number> {
  const root = heap.object(findMenagerieRoot(heap, MARKER))!;
  const values = heap.objectOf(ownNamedProperties(heap, root, 4).entries[1]?.value);
  assert.ok(values !== undefined, 'root.values');
  const out = new Map<string, number>();
  for (const e of ownNamedProperties(heap, values, 16).entries) {
    const o = heap.objectOf(e.value);
    if (o !== undefined) out.set(keyText(heap, e.key), o.address);
  }
  return out;
}

const canRun = gcoreAvailable();

for (const major of testedMajors()) {
  describe(`function tiers on Node ${major}`, { skip: !canRun && 'gdb (gcore) is not installed; npm test installs it' }, () => {
    test('tier, code and instructions of each function; dictionary order', { timeout: 300_000 }, async () => {
      const node = await nodeBinary(major);
      const dir = mkdtempSync(join(tmpdir(), 'nodescope-function-tiers-'));
      const maglev = major >= 24;
      try {
        const core = await makeFixtureCore(node.path, ['--allow-natives-syntax', '--sparkplug', FIXTURE, ...(maglev ? ['maglev'] : [])], dir);
        const session = Session.openCore(core.corePath, { binary: node.path });
        try {
          const heap = session.heap();
          const values = fixtureValues(heap);
          const exec = (a: number): boolean => heap.space.mappings().some((m) => m.executable && a >= m.start && a < m.end);
          const want: [string, string][] = [['hotAdd', 'TurboFan'], ['baselineSub', 'baseline'], ['coldDiv', 'interpreted'], ['neverCalled', 'lazy']];
          if (maglev) want.push(['maglevMul', 'Maglev']);
          for (const [name, tier] of want) {
            const r = functionReport(session, values.get(name)!);
            assert.equal(r.name, name);
            assert.equal(r.tier, tier, `${name}: ${r.tierNote ?? ''}`);
            assert.ok(r.code !== undefined && heap.object(r.code) !== undefined, `${name}: Code object`);
            assert.ok(r.instructionStart !== undefined && exec(r.instructionStart), `${name}: instructions in executable memory`);
            assert.ok(r.instructionSize !== undefined && r.instructionSize > 0, `${name}: instruction size`);
          }
          const hot = functionReport(session, values.get('hotAdd')!);
          assert.match(renderFunctionReport(hot), /kind: +TurboFan\n/);
          assert.match(renderFunctionReport(hot), new RegExp(`instructions: +0x${hot.instructionStart!.toString(16)} \\(${hot.instructionSize} bytes\\)`));

          // --disassemble: the optimized code from its first instruction; interpreted functions name
          // the trampoline they run (Node 18 runs an on-heap trampoline Code instead).
          const dis = functionDisassembly(session, values.get('hotAdd')!);
          assert.equal(dis.instructions[0]?.address, hot.instructionStart);
          assert.ok(dis.instructions.length > 10 && dis.instructions.at(-1)!.address < hot.instructionStart! + hot.instructionSize!);
          if (major >= 20) {
            assert.ok(dis.instructions.some((i) => i.targetName?.startsWith('Builtins_')), 'a call into a builtin is named');
            const cold = functionDisassembly(session, values.get('coldDiv')!);
            assert.equal(cold.builtin, 'InterpreterEntryTrampoline');
            assert.equal(cold.instructions.length, 0);
            assert.ok(functionDisassembly(session, values.get('coldDiv')!, { builtin: true }).instructions.length > 20);
          }

          // The command line: `function --disassemble` with an instruction limit, and a bad limit.
          const addr = `0x${values.get('hotAdd')!.toString(16)}`;
          const cli = runCli(['function', core.corePath, addr, '--disassemble', '--max-instructions', '5', '--binary', node.path]);
          assert.equal(cli.code, 0, cli.stderr);
          assert.match(cli.stdout, /kind: +TurboFan/);
          assert.equal(cli.stdout.split('\n').filter((l) => /^ {2}0x[0-9a-f]+: {2}[0-9a-f]{2}( [0-9a-f]{2})* +\S/.test(l)).length, 5);
          assert.match(cli.stdout, /more instructions/);
          assert.notEqual(runCli(['function', core.corePath, addr, '--disassemble', '--max-instructions', '0', '--binary', node.path]).code, 0);

          // An Error whose stack was never read: its captured call sites, formatted as V8 would.
          const src = readFileSync(FIXTURE, 'utf8').split('\n');
          const at = (needle: string, from: string): string => {
            const line = src.findIndex((l) => l.includes(from));
            return `${FIXTURE}:${line + 1}:${src[line]!.indexOf(needle) + 1}`;
          };
          const stack = String(inspectAddress(heap, values.get('unformatted')!, {}).value).split('\n');
          assert.deepEqual(stack.slice(0, 4), [
            'RangeError: never formatted',
            `    at innerThrower (${at('new RangeError', 'function innerThrower')})`,
            `    at outerCaller (${at('innerThrower(m)', 'function outerCaller')})`,
            // CommonJS top-level code runs with `this` = module.exports: V8 prints it as a method.
            `    at Object.<anonymous> (${at('outerCaller(', 'const unformatted')})`,
          ]);

          const keys = JSON.parse(/KEYS (.*)/.exec(core.stdout)![1]!) as string[];
          const dict = ownNamedProperties(heap, heap.object(values.get('dict')!)!, 16);
          assert.equal(dict.mode, 'dictionary');
          assert.deepEqual(dict.entries.map((e) => keyText(heap, e.key)), keys);
        } finally {
          session.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
