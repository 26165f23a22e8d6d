// Every scenario of every tested Node major yields an ELF core and a well-formed manifest that
// says what the scenario built; cores come from (and go to) the shared cache, made once per run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readElfHeader, ET_CORE } from './elf-header.js';
import { makeCore, SCENARIOS, STACK_SCENARIOS, type CoreResult } from './make-core.js';
import { validateManifest, type ManifestFrame } from './manifest.js';
import { testedMajors } from './node-binaries.js';

const TEST_TIMEOUT_MS = 300_000;

function names(frames: readonly ManifestFrame[]): string[] {
  return frames.map((f) => f.inferredName ?? f.name);
}

function checkSpecific(r: CoreResult): void {
  const m = r.manifest;
  const main = m.stacks[0];
  assert.ok(main);
  assert.equal(main.thread, 'main');
  assert.equal(main.tid, m.pid);
  switch (r.scenario) {
    case 'sync-chain':
      assert.deepEqual(names(main.frames), ['delta', 'gamma', 'beta', 'alpha', 'main']);
      assert.deepEqual(main.frames.map((f) => f.argc), [1, 3, 2, 2, 0]);
      assert.deepEqual(main.frames.map((f) => f.formalCount), [3, 2, 2, 2, 0]);
      break;
    case 'class-methods':
      assert.deepEqual(names(main.frames), ['handle', 'route', 'dispatch', 'main']);
      assert.equal(main.frames[2]?.kind, 'static');
      assert.equal(main.frames[0]?.stackName, 'Router.handle');
      break;
    case 'arrow-functions':
      assert.deepEqual(names(main.frames), ['handleItem', 'callback', 'processBatch', 'main']);
      assert.equal(main.frames[1]?.name, '');
      assert.equal(main.frames[1]?.argc, 3);
      break;
    case 'closures':
      assert.deepEqual(names(main.frames), ['record', 'increment', 'main']);
      assert.deepEqual(m.values?.captured, { label: 'requests', count: 42, history: [42] });
      break;
    case 'constructor-call':
      assert.deepEqual(names(main.frames), ['measure', 'Widget', 'makeWidget', 'main']);
      assert.equal(main.frames[1]?.isConstruct, true);
      assert.equal(main.frames[1]?.stackName, 'new Widget');
      break;
    case 'async-await':
      assert.deepEqual(names(main.frames), ['handleRequest']);
      assert.equal(main.frames[0]?.afterAwait, true);
      assert.deepEqual(m.asyncCallers, ['main']);
      break;
    case 'worker-thread': {
      assert.deepEqual(names(main.frames), ['waitForWorker', 'startWorker', 'main']);
      const worker = m.stacks[1];
      assert.ok(worker, 'worker stack');
      assert.equal(worker.thread, 'worker');
      assert.deepEqual(names(worker.frames), ['crunchNumbers', 'workerMain']);
      const thread = m.threads.find((t) => t.tid === worker.tid);
      assert.ok(thread, `worker tid ${worker.tid} among the threads`);
      // Node 24 and later name worker threads after the Worker's `name` option.
      if (r.major >= 24) assert.equal(thread.name, 'spinner');
      break;
    }
    case 'uncaught-abort': {
      assert.deepEqual(names(main.frames), ['validateField', 'parseConfig', 'loadConfig', 'main']);
      assert.ok(r.signal && ['SIGABRT', 'SIGTRAP', 'SIGILL', 'SIGSEGV'].includes(r.signal), `fatal signal, got ${r.signal}`);
      const report = r.abortReport;
      assert.ok(report, `Node's abort report in stderr:\n${r.stderr}`);
      assert.equal(report.message, 'TypeError: invalid config field: port');
      // Node's report and the manifest agree on names and current lines of the known frames.
      main.frames.forEach((f, i) => {
        assert.equal(report.frames[i]?.function, f.name);
        assert.equal(report.frames[i]?.file, f.script);
        assert.equal(report.frames[i]?.line, f.currentLine);
      });
      break;
    }
    case 'spin-loop': {
      assert.deepEqual(names(main.frames), ['exports.bucketize', 'caAggrValueHeatmapImage', 'handleRequest', 'main']);
      assert.equal(main.frames[0]?.name, '');
      assert.equal(main.frames[0]?.stackName, 'exports.bucketize');
      const conf = main.frames[0]?.args[1];
      assert.match(conf?.inspect ?? '', /^\{ base: 1320886447, height: 281, width: 624, max: 11538462, min: 11538462,/);
      break;
    }
    case 'deep-recursion':
      assert.deepEqual(names(main.frames), ['descend', 'main']);
      assert.ok((m.depth ?? 0) >= 10_000, `depth ${m.depth} is 10k+`);
      assert.equal(main.frames[0]?.repeat, m.depth);
      assert.ok((m.rangeErrorDepth ?? 0) > (m.depth ?? 0));
      break;
    default:
      assert.fail(`no checks for scenario ${r.scenario}`);
  }
}

test('every stack scenario has its script', () => {
  for (const s of STACK_SCENARIOS) assert.ok(SCENARIOS.includes(s), s);
});

const PRIMARY_MAJOR = Number(process.env.NODESCOPE_PRIMARY_MAJOR ?? 24);

test('uncaught-abort under gdb (the fallback when core_pattern pipes elsewhere)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const r = await makeCore(PRIMARY_MAJOR, 'uncaught-abort', { abortEngine: 'gdb' });
  assert.equal(r.engine, 'gdb');
  assert.equal(readElfHeader(r.corePath).type, ET_CORE);
  assert.deepEqual(validateManifest(r.manifest), []);
  checkSpecific(r);
});

for (const major of testedMajors()) {
  describe(`scenario cores of Node ${major}`, () => {
    for (const scenario of STACK_SCENARIOS) {
      test(scenario, { timeout: TEST_TIMEOUT_MS }, async () => {
        const r = await makeCore(major, scenario);
        const header = readElfHeader(r.corePath);
        assert.ok(header.isElf, `${r.corePath} has the ELF magic`);
        assert.equal(header.type, ET_CORE, 'e_type is ET_CORE');
        assert.ok(header.phnum > 1, 'the core has program headers');
        assert.deepEqual(validateManifest(r.manifest), []);
        assert.equal(r.manifest.scenario, scenario);
        assert.equal(r.manifest.nodeVersion, `v${r.nodeVersion}`);
        assert.equal(r.manifest.execPath, r.binary);
        assert.equal(r.manifest.pid, r.pid);
        for (const s of r.manifest.stacks) for (const f of s.frames) assert.equal(f.script, r.manifest.script);
        checkSpecific(r);
        const again = await makeCore(major, scenario);
        assert.equal(again.cached, true, 'a second request is served from the cache');
        assert.equal(again.corePath, r.corePath);
      });
    }
  });
}
