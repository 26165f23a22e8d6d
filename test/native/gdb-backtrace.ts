// Test helper: runs `gdb -batch -ex 'thread apply all bt'` on a core and parses each thread's
// physical frames (inline frames folded into the frame that holds them), for comparisons.
import { spawnSync } from 'node:child_process';

/** Role: one physical frame as gdb printed it. */
export interface GdbFrame {
  readonly pc: number;
  /** Function names of the frame, innermost inline first; the last is the real function. '??' when unknown. */
  readonly names: string[];
  /** Library gdb names with `from`, when it printed one (no symbol, or a minimal symbol of a library). */
  readonly from?: string;
}

/** Role: whether gdb can be run. */
export function hasGdb(): boolean {
  return spawnSync('gdb', ['--version'], { timeout: 20_000 }).status === 0;
}

/**
 * Role: gdb's backtrace of every thread by LWP. Separate debug info is switched off so gdb works
 * from the same ELF symbols and .eh_frame that we read (libc's debug files would add frames).
 */
export function gdbBacktraces(binary: string, core: string, timeoutMs = 300_000): Map<number, GdbFrame[]> {
  const r = spawnSync('gdb', ['-batch', '-nx', '-iex', 'set debuginfod enabled off', '-iex', 'set debug-file-directory /nonexistent', '-ex', 'set pagination off', '-ex', 'set print frame-arguments none', '-ex', 'thread apply all bt', binary, core], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`gdb failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return parseBacktraces(r.stdout);
}

/** Role: parses `thread apply all bt` output (exported for its unit test). */
export function parseBacktraces(text: string): Map<number, GdbFrame[]> {
  const out = new Map<number, GdbFrame[]>();
  let frames: GdbFrame[] | undefined;
  let lastPc = 0;
  for (const line of text.split('\n')) {
    const th = /^Thread \d+ \(.*LWP (\d+)\)/.exec(line);
    if (th) {
      frames = [];
      out.set(Number(th[1]), frames);
      continue;
    }
    if (frames === undefined) continue;
    const f = /^#(\d+)\s+(?:(0x[0-9a-f]+) in )?(.*?)(?: from (\S+))?$/.exec(line);
    if (!f) continue;
    const name = nameOf(f[3]!);
    if (f[2] !== undefined || f[1] === '0') {
      lastPc = f[2] !== undefined ? Number(BigInt(f[2])) : lastPc;
      frames.push({ pc: f[2] !== undefined ? lastPc : NaN, names: [name], ...(f[4] ? { from: f[4] } : {}) });
    } else {
      frames[frames.length - 1]?.names.push(name);
    }
  }
  return out;
}

/** The function name of a frame description: `name (args) at file:line` → `name`, keeping C++ parameter lists. */
function nameOf(desc: string): string {
  const d = desc.replace(/ at \S+:\d+$/, '').trim();
  // gdb separates its argument list by a space (`uv_run (loop=..., mode=...)`, `read ()`);
  // a demangled C++ name carries its parameter list without one.
  return d.replace(/ \((?:[^()]|\([^()]*\))*\)$/, '');
}
