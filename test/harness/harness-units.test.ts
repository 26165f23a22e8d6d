// Unit tests of the harness's pure parts: Node's abort report parser, the majors switch, the
// manifest checker, the ELF header reader and the scenario headers.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isElfCore, readElfHeader } from './elf-header.js';
import { parseAbortReport, scenarioHeader, SCENARIOS } from './make-core.js';
import { normaliseForGolden } from './golden.js';
import { validateManifest } from './manifest.js';
import { repoRoot } from './repo-paths.js';
import { installedVersions, nodeBinary, SUPPORTED_MAJORS, testedMajors } from './node-binaries.js';

test('parseAbortReport reads the Uncaught line and the FROM frames', () => {
  const stderr = [
    'Uncaught TypeError: invalid config field: port',
    '',
    'FROM',
    'validateField (/srv/app/config.js:19:3)',
    'Module.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:154:5)',
    'node:internal/main/run_main_module:33:47',
  ].join('\n');
  const r = parseAbortReport(stderr);
  assert.ok(r);
  assert.equal(r.message, 'TypeError: invalid config field: port');
  assert.deepEqual(r.frames, [
    { function: 'validateField', file: '/srv/app/config.js', line: 19, column: 3 },
    { function: 'Module.executeUserEntryPoint [as runMain]', file: 'node:internal/modules/run_main', line: 154, column: 5 },
    { function: '', file: 'node:internal/main/run_main_module', line: 33, column: 47 },
  ]);
  assert.equal(parseAbortReport('Segmentation fault\n'), undefined);
  // Node 18 runs the frames together on one line.
  const joined = parseAbortReport('Uncaught Error: x\n\nFROM\na (/s.js:1:2)b (/s.js:3:4)node:internal/main/run_main_module:28:49');
  assert.deepEqual(joined?.frames.map((f) => `${f.function}@${f.line}`), ['a@1', 'b@3', '@28']);
});

test('testedMajors follows NODESCOPE_MAJORS', () => {
  assert.deepEqual(testedMajors({}), [...SUPPORTED_MAJORS]);
  assert.deepEqual(testedMajors({ NODESCOPE_MAJORS: '18, 24' }), [18, 24]);
  assert.deepEqual(testedMajors({ NODESCOPE_MAJORS: 'all' }), [18, 20, 22, 24, 26]);
  assert.throws(() => testedMajors({ NODESCOPE_MAJORS: '16' }), /unsupported major 16/);
});

test('validateManifest names what is missing', () => {
  assert.deepEqual(validateManifest(null), ['manifest: not an object']);
  const problems = validateManifest({ schema: 1, scenario: 'x', pid: 1, nodeVersion: 'v1', execPath: '/n', script: '/s', hold: 'wait', threads: [{ tid: 1, name: 'node' }], stacks: [{ thread: 'main', tid: 1, errorStack: '', frames: [{ name: 'f', script: '/s', line: 0, column: 1, formalCount: 0, argc: 1, args: [] }] }] });
  assert.ok(problems.includes('stacks[0].frames[0].line: bad'), problems.join('; '));
  assert.ok(problems.includes('stacks[0].frames[0].args: not argc values'), problems.join('; '));
  assert.ok(problems.includes('stacks[0].frames[0].currentLine: missing'), problems.join('; '));
});

test('readElfHeader tells a core from other files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-elf-'));
  try {
    const core = Buffer.alloc(64);
    core.writeUInt32BE(0x7f454c46, 0);
    core[4] = 2;
    core[5] = 1;
    core.writeUInt16LE(4, 16);
    core.writeUInt16LE(62, 18);
    core.writeUInt16LE(3, 56);
    writeFileSync(join(dir, 'core'), core);
    assert.equal(isElfCore(join(dir, 'core')), true);
    assert.equal(readElfHeader(join(dir, 'core')).phnum, 3);
    core.writeUInt16LE(2, 16);
    writeFileSync(join(dir, 'exec'), core);
    assert.equal(isElfCore(join(dir, 'exec')), false);
    writeFileSync(join(dir, 'short'), 'ELF');
    assert.equal(readElfHeader(join(dir, 'short')).isElf, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every scenario declares how it holds; only the crash scenarios abort', () => {
  const crashes = new Set(['uncaught-abort', 'abort-crash', 'ledger-crash', 'oom-crash', 'rejection-crash', 'signal-crash']);
  for (const s of SCENARIOS) {
    const h = scenarioHeader(s);
    assert.equal(h.hold === 'abort', crashes.has(s), s);
  }
  assert.deepEqual(scenarioHeader('uncaught-abort').flags, ['--abort-on-uncaught-exception']);
  assert.equal(scenarioHeader('spin-loop').hold, 'spin');
});

test('nodeBinary reuses the newest complete unpacked version of the major', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-nodes-'));
  const saved = process.env.NODESCOPE_NODE_CACHE;
  try {
    for (const v of ['20.1.0', '20.10.0', '20.9.9', '22.0.0']) {
      mkdirSync(join(dir, v, 'bin'), { recursive: true });
      if (v !== '22.0.0') writeFileSync(join(dir, v, 'bin', 'node'), '');
    }
    mkdirSync(join(dir, '.staging-20.11.0-1', 'bin'), { recursive: true });
    process.env.NODESCOPE_NODE_CACHE = dir;
    assert.deepEqual(installedVersions(20), ['20.10.0', '20.9.9', '20.1.0']);
    assert.deepEqual(installedVersions(22), []);
    const node = await nodeBinary(20);
    assert.deepEqual(node, { major: 20, version: '20.10.0', path: join(dir, '20.10.0', 'bin', 'node') });
  } finally {
    if (saved === undefined) delete process.env.NODESCOPE_NODE_CACHE;
    else process.env.NODESCOPE_NODE_CACHE = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('normaliseForGolden hides addresses, ids and the repository path', () => {
  const text = `thread 41234 (main)\n  #0 js: delta ${repoRoot()}/test/scenarios/sync-chain.js:24:1 fp 0x7ffd5e3a10c0 pc 0x1f00ab\n  tid 412345 argc 2`;
  assert.equal(
    normaliseForGolden(text, { ids: [41234, 412345], literals: { 'argc 2': 'argc N' } }),
    'thread <id> (main)\n  #0 js: delta <repo>/test/scenarios/sync-chain.js:24:1 fp 0x<addr> pc 0x<addr>\n  tid <id> argc N',
  );
  assert.equal(normaliseForGolden('line 0x10 stays'), 'line 0x10 stays');
});

test('the failure collector keeps failing tests, not the suites that only contain them, across chunk edges', async () => {
  const { FailureCollector } = await import('./failure-collector.js');
  const tap = [
    '# Subtest: suite',
    '    # Subtest: good',
    '    ok 1 - good',
    '    not ok 2 - bad one',
    '      ---',
    "      failureType: 'testCodeFailure'",
    "      error: 'expected 2'",
    '      ...',
    'not ok 1 - suite',
    '  ---',
    "  failureType: 'subtestsFailed'",
    '  ...',
    'ok 2 - other',
    '',
  ].join('\n');
  const c = new FailureCollector();
  for (let i = 0; i < tap.length; i += 7) c.push(tap.slice(i, i + 7));
  assert.equal(c.summary(), ['    not ok 2 - bad one', '      ---', "      failureType: 'testCodeFailure'", "      error: 'expected 2'", '      ...', ''].join('\n'));
  assert.equal(c.count, 1);
});
