// A JsFrameResolver over /tmp/perf-PID.map, which Node writes when started with
// --perf-basic-prof (and, for interpreted frames, --interpreted-frames-native-stack). We only
// read the file if the target already writes it; we never turn it on.
import { readFileSync } from 'node:fs';
import type { Frame } from '../profile-model.js';
import type { JsFrameQuery, JsFrameResolver } from './js-frame-resolver.js';

interface Entry { start: number; end: number; name: string }

const MAX_BYTES = 256 * 1024 * 1024;

/** Role: parses perf map text (`START SIZE name`, hex) into sorted entries. */
export function parsePerfMap(text: string): Entry[] {
  const out: Entry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]+) ([0-9a-fA-F]+) (.*)$/.exec(line);
    if (!m) continue;
    const start = parseInt(m[1]!, 16), size = parseInt(m[2]!, 16);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(size)) continue;
    out.push({ start, end: start + size, name: m[3]! });
  }
  // Later entries win for the same start (code was re-created), so keep insertion order on ties.
  return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i).map((x) => x.e);
}

/** Role: the frame of a perf map name such as `JS:*hot /app/x.js:3:20` or `LazyCompile:~f file:1`. */
export function frameOfPerfMapName(raw: string): Frame {
  const n = raw.replace(/^(JS|LazyCompile|Function|Script|Builtin|BytecodeHandler|Stub|RegExp|Eval):/, '').replace(/^[*~^+]/, '');
  const m = /^(.*?) ?(\S+?):(\d+)(?::(\d+))?$/.exec(n);
  if (m !== null && (m[2]!.includes('/') || m[2]!.startsWith('node:'))) {
    const f: Frame = { name: m[1]!, file: m[2]!, line: Number(m[3]), kind: 'js' };
    return m[4] !== undefined ? { ...f, column: Number(m[4]) } : f;
  }
  return { name: n, kind: raw.startsWith('Builtin:') || raw.startsWith('BytecodeHandler:') ? 'builtin' : 'js' };
}

/** Role: JsFrameResolver backed by the target's own /tmp/perf-PID.map, when it writes one. */
export class PerfMapJsFrameResolver implements JsFrameResolver {
  readonly name = 'perf-map';
  private constructor(private readonly entries: Entry[]) {}

  /** Role: a resolver that follows /tmp/perf-PID.map as the live target appends to it. */
  static watch(pid: number, dir = '/tmp'): JsFrameResolver {
    return new WatchedPerfMapResolver(pid, dir);
  }

  /** Loads /tmp/perf-PID.map (as of now); undefined when the target does not write one. */
  static load(pid: number, dir = '/tmp'): PerfMapJsFrameResolver | undefined {
    try {
      const text = readFileSync(`${dir}/perf-${pid}.map`, 'utf8');
      if (text.length > MAX_BYTES) return undefined;
      const entries = parsePerfMap(text);
      return entries.length > 0 ? new PerfMapJsFrameResolver(entries) : undefined;
    } catch {
      return undefined;
    }
  }

  resolve(q: JsFrameQuery): Frame | undefined {
    const e = this.entries;
    let lo = 0, hi = e.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (e[mid]!.start <= q.ip) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    // Overlapping entries (re-created code): scan back a little for one that covers the ip.
    for (let i = best; i >= 0 && i > best - 8; i--) if (q.ip < e[i]!.end) return frameOfPerfMapName(e[i]!.name);
    return undefined;
  }
}

/** How often, at most, a watched perf map is re-read after a miss. */
const RELOAD_MS = 1000;

/** Role: a perf map resolver for a live target: re-reads /tmp/perf-PID.map (at most once a second) when an address misses. */
export class WatchedPerfMapResolver implements JsFrameResolver {
  readonly name = 'perf-map';
  private current: PerfMapJsFrameResolver | undefined;
  private loadedAt: number;

  constructor(private readonly pid: number, private readonly dir = '/tmp', private readonly now: () => number = Date.now) {
    this.current = PerfMapJsFrameResolver.load(pid, dir);
    this.loadedAt = now();
  }

  resolve(q: JsFrameQuery): Frame | undefined {
    const f = this.current?.resolve(q);
    if (f !== undefined || this.now() - this.loadedAt < RELOAD_MS) return f;
    this.current = PerfMapJsFrameResolver.load(this.pid, this.dir) ?? this.current;
    this.loadedAt = this.now();
    return this.current?.resolve(q);
  }
}
