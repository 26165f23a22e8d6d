// Live profiling tests: `nodescope profile` on the spinning fixture, in inspector and kernel
// (perf) mode, with the machine's node and the official binaries of every tested major. The
// hot function must hold most samples and the target must be left running, unpaused, with no
// listening port; every export must parse with its tool's rules; bad input gives one line, exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile as PProfile } from 'pprof-format';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';
import { checkWellFormedXml } from '../../src/render/flamegraph/testing/xml-check.js';
import { fixture, foldedShare, listeningPortsOf, procState, runCli, startSpinner } from './live-helpers.js';

const HOT = 'hotFunctionNodescope';
const work = mkdtempSync(join(tmpdir(), 'nodescope-profile-test-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

async function binaries(): Promise<Array<{ label: string; path: string }>> {
  const out = [{ label: `machine node ${process.version}`, path: process.execPath }];
  for (const major of testedMajors()) {
    const b = await nodeBinary(major);
    out.push({ label: `node ${b.version}`, path: b.path });
  }
  return out;
}

function assertLeftAsFound(pid: number, child: { exitCode: number | null; signalCode: string | null }): void {
  assert.equal(child.exitCode, null, 'target still running');
  assert.equal(child.signalCode, null, 'target not killed');
  assert.deepEqual(listeningPortsOf(pid), [], 'no listening port left open by the target');
  assert.ok(!['T', 't'].includes(procState(pid)), `target not stopped or traced (state ${procState(pid)})`);
}

for (const bin of await binaries()) {
  for (const mode of ['inspector', 'perf'] as const) {
    test(`${bin.label}, ${mode} mode: the hot function holds most samples; the target is left as found`, { timeout: 120_000 }, async () => {
      const s = await startSpinner(bin.path);
      try {
        const out = join(work, `${bin.label.replace(/\W+/g, '-')}-${mode}.folded`);
        const r = await runCli(['profile', '-p', String(s.pid), '-d', '2', '--mode', mode, '-o', out]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, mode === 'perf' ? /^mode: kernel \(perf\): requested/m : /^mode: inspector: requested/m);
        const { total, share } = foldedShare(readFileSync(out, 'utf8'), HOT);
        assert.ok(total >= 10, `only ${total} samples`);
        assert.ok(share > 0.5, `${HOT} in ${(share * 100).toFixed(1)}% of ${total} samples`);
        if (mode === 'perf') assert.match(readFileSync(out, 'utf8'), /uv_run/, 'native frames present in kernel mode');
        assertLeftAsFound(s.pid, s.child);
      } finally {
        await s.stop();
      }
    });
  }
}

test('default mode prints which mode ran and why; the SVG is well-formed with the hot function and its percentage', { timeout: 120_000 }, async () => {
  const s = await startSpinner(process.execPath);
  try {
    const r = await runCli(['profile', '-p', String(s.pid), '-d', '2'], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^mode: (kernel \(perf\)|inspector): .+/m);
    const svg = readFileSync(join(work, `profile-${s.pid}.svg`), 'utf8');
    const els = checkWellFormedXml(svg);
    const hot = els.find((e) => e.name === 'g' && e.attrs['data-n']?.startsWith(HOT));
    assert.ok(hot, 'hot function drawn');
    const pct = Number(/, ([\d.]+)%\)/.exec(hot.text)?.[1]);
    assert.ok(pct > 50, `hot function at ${pct}%`);
    assertLeftAsFound(s.pid, s.child);
  } finally {
    await s.stop();
  }
});

test('exports of a live profile parse with their tools\' rules (cpuprofile, pprof, speedscope, svg, html)', { timeout: 120_000 }, async () => {
  const s = await startSpinner(process.execPath);
  const cpu = join(work, 'live.cpuprofile');
  try {
    const r = await runCli(['profile', '-p', String(s.pid), '-d', '2', '--mode', 'inspector', '-o', cpu]);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    await s.stop();
  }
  // Chrome DevTools' rules for a CPU profile: unique ids, root first, children/parents agree,
  // every sample names a node, one time delta per sample.
  const cp = JSON.parse(readFileSync(cpu, 'utf8'));
  const ids = new Set<number>(cp.nodes.map((n: { id: number }) => n.id));
  assert.equal(ids.size, cp.nodes.length);
  assert.equal(cp.nodes[0].callFrame.functionName, '(root)');
  for (const n of cp.nodes) for (const c of n.children) assert.equal(cp.nodes.find((x: { id: number }) => x.id === c).parent, n.id);
  assert.ok(cp.samples.length > 10 && cp.samples.every((id: number) => ids.has(id)));
  assert.equal(cp.timeDeltas.length, cp.samples.length);
  assert.ok(cp.nodes.some((n: { callFrame: { functionName: string; url: string } }) => n.callFrame.functionName === HOT && n.callFrame.url.endsWith('spin.js')));

  const pb = join(work, 'live.pb.gz');
  assert.equal((await runCli(['flamegraph', cpu, '-o', pb])).code, 0);
  const dec = PProfile.decode(gunzipSync(readFileSync(pb)));
  const names = dec.stringTable.strings;
  const hotFn = dec.function.find((f) => names[Number(f.name)] === HOT)!;
  assert.ok(hotFn, 'pprof has the hot function');
  const hotLocs = new Set(dec.location.filter((l) => l.line.some((ln) => String(ln.functionId) === String(hotFn.id))).map((l) => String(l.id)));
  const total = dec.sample.reduce((a, x) => a + Number(x.value[0]), 0);
  const hot = dec.sample.filter((x) => hotLocs.has(String(x.locationId[0]))).reduce((a, x) => a + Number(x.value[0]), 0);
  assert.ok(hot / total > 0.5, `pprof: hot leaf in ${hot} of ${total}`);

  const ss = join(work, 'live.speedscope.json');
  assert.equal((await runCli(['flamegraph', cpu, '-o', ss])).code, 0);
  const f = JSON.parse(readFileSync(ss, 'utf8'));
  assert.equal(f.$schema, 'https://www.speedscope.app/file-format-schema.json');
  const p0 = f.profiles[0];
  assert.equal(p0.type, 'sampled');
  assert.equal(p0.samples.length, p0.weights.length);
  assert.ok(p0.samples.every((st: number[]) => st.every((i) => i >= 0 && i < f.shared.frames.length)));
  assert.ok(f.shared.frames.some((fr: { name: string }) => fr.name === HOT));

  for (const ext of ['svg', 'html']) {
    const out = join(work, `live.${ext}`);
    const r = await runCli(['flamegraph', cpu, '-o', out, '--inverted']);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(out, 'utf8');
    const svg = ext === 'svg' ? text : text.slice(text.indexOf('<svg'), text.indexOf('</svg>') + 6);
    assert.ok(checkWellFormedXml(svg).some((e) => e.attrs['data-n']?.startsWith(HOT)));
  }
});

test('the target exits mid-profile: what was collected is written, and said so (both modes)', { timeout: 120_000 }, async () => {
  for (const mode of ['inspector', 'perf']) {
    const s = await startSpinner(process.execPath);
    const out = join(work, `exit-${mode}.folded`);
    // Once sampling has begun, SIGUSR2 makes the fixture exit (cleanly) a second later.
    let told = false;
    const onStderr = (all: string): void => {
      if (!told && /perf record is sampling|opened the inspector/.test(all)) { told = true; s.child.kill('SIGUSR2'); }
    };
    const r = await runCli(['profile', '-p', String(s.pid), '-d', '60', '--mode', mode, '-o', out], { onStderr });
    assert.ok(told, 'sampling began');
    await s.stop();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /exited mid-profile; what was collected is written/);
    assert.ok(foldedShare(readFileSync(out, 'utf8'), '').total > 0);
  }
});

test('launch mode profiles `-- node app.js` until it exits', { timeout: 120_000 }, async () => {
  const out = join(work, 'launched.folded');
  const r = await runCli(['profile', '--mode', 'inspector', '-o', out, '--', process.execPath, fixture('spin.js')], { env: { SPIN_SECONDS: '3' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /until it exits/);
  assert.ok(foldedShare(readFileSync(out, 'utf8'), HOT).share > 0.5);
});

test('bad input: one clear line and exit code 2', { timeout: 120_000 }, async () => {
  const oneLine = (r: { code: number | null; stdout: string; stderr: string }, re: RegExp): void => {
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('nodescope:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, re);
  };
  oneLine(await runCli(['profile', '-p', '4194000']), /no process with PID 4194000/);
  oneLine(await runCli(['profile']), /missing -p PID/);
  oneLine(await runCli(['profile', '-p', '1', '--format', 'gif']), /--format is one of/);
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    oneLine(await runCli(['profile', '-p', String(sleeper.pid)]), /is not a Node process/);
  } finally {
    sleeper.kill('SIGKILL');
  }
  const s = await startSpinner(process.execPath);
  try {
    oneLine(await runCli(['profile', '-p', String(s.pid), '--mode', 'perf', '-d', '1'], { env: { PATH: '/nonexistent' } }), /perf is not installed/);
    assertLeftAsFound(s.pid, s.child);
  } finally {
    await s.stop();
  }
  oneLine(await runCli(['flamegraph', join(work, 'missing.folded')]), /cannot read \(ENOENT\)/);
});

test('inspector mode refuses --disable-sigusr1 targets and ports taken by another process', { timeout: 120_000 }, async () => {
  const n24 = await nodeBinary(24);
  const noSig = await startSpinner(n24.path, { args: ['--disable-sigusr1'] });
  try {
    const r = await runCli(['profile', '-p', String(noSig.pid), '--mode', 'inspector', '-d', '1']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /started with --disable-sigusr1/);
    assertLeftAsFound(noSig.pid, noSig.child);
  } finally {
    await noSig.stop();
  }
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const s = await startSpinner(process.execPath, { args: [`--inspect-port=${port}`] });
  try {
    const r = await runCli(['profile', '-p', String(s.pid), '--mode', 'inspector', '-d', '1']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`port ${port} is already taken by another process`));
    assertLeftAsFound(s.pid, s.child);
  } finally {
    await s.stop();
    server.close();
  }
  assert.ok(existsSync(work));
});
