// The sample model every sampler produces and every sink consumes: interned frames, stacks
// (root → leaf) with counts and optional timestamps, and metadata. Plain, serializable data.

/** Role: what kind of code a frame runs; drives flame graph colours and collapsed suffixes. */
export type FrameKind = 'js' | 'native' | 'builtin' | 'gc' | 'kernel' | 'other';

/** Role: one interned frame. Lines and columns are 1-based (Chrome's 0-based ones are converted). */
export interface Frame {
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly kind: FrameKind;
}

/** Role: one distinct stack, as indices into `Profile.frames`, root first, with its samples. */
export interface StackSample {
  readonly frames: readonly number[];
  count: number;
  /** Sample times in µs since `meta.startTime`, one per sample, when the sampler knows them. */
  readonly timestamps?: number[];
}

/** Role: how the profile was obtained. */
export interface ProfileMeta {
  readonly pid?: number;
  readonly mode: 'inspector' | 'perf' | 'file';
  /** Requested sampling rate, when known. */
  readonly hz?: number;
  /** Wall time covered, in ms. */
  readonly durationMs: number;
  /** Start of sampling, epoch ms. */
  readonly startTime: number;
  /** Remarks for the user (target exited early, frames unresolved, …). */
  readonly notes: string[];
  /** Why this mode ran (printed in the closing line). */
  readonly modeReason?: string;
  /** Kernel mode: JS frames seen, and how many stayed [JIT]/[interpreted]. */
  readonly jsFrames?: { readonly total: number; readonly unresolved: number };
  /** Kernel mode: whether perf streamed to us (names while sampling) or wrote a file. */
  readonly transport?: 'pipe' | 'file';
}

/** Role: a whole CPU profile. */
export interface Profile {
  readonly frames: Frame[];
  readonly stacks: StackSample[];
  readonly meta: ProfileMeta;
}

/** Role: display label of a frame: `name file:line:col` for JS, the bare name otherwise. */
export function frameLabel(f: Frame): string {
  const name = f.name === '' ? '(anonymous)' : f.name;
  if (f.file === undefined || f.file === '') return name;
  const pos = f.line !== undefined ? `:${f.line}` + (f.column !== undefined ? `:${f.column}` : '') : '';
  return `${name} ${f.file}${pos}`;
}

/** Role: total number of samples in a profile. */
export function totalSamples(p: Profile): number {
  let n = 0;
  for (const s of p.stacks) n += s.count;
  return n;
}

/** Role: builds a Profile, interning frames and merging identical stacks. */
export class ProfileBuilder {
  private readonly frames: Frame[] = [];
  private readonly frameIds = new Map<string, number>();
  private readonly stacks: StackSample[] = [];
  private readonly stackIds = new Map<string, number>();

  /** Returns the id of `f`, interning it on first sight. */
  frameId(f: Frame): number {
    const key = `${f.kind}\u0000${f.name}\u0000${f.file ?? ''}\u0000${f.line ?? ''}\u0000${f.column ?? ''}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.frames.length;
      this.frames.push(normalizeFrame(f));
      this.frameIds.set(key, id);
    }
    return id;
  }

  /** Adds `count` samples of a stack given as frame ids, root first; `timestampUs` per sample. */
  addSample(frameIds: readonly number[], count = 1, timestampUs?: number): void {
    if (count <= 0) return;
    const key = frameIds.join(',');
    let id = this.stackIds.get(key);
    if (id === undefined) {
      id = this.stacks.length;
      this.stacks.push(timestampUs === undefined ? { frames: [...frameIds], count: 0 } : { frames: [...frameIds], count: 0, timestamps: [] });
      this.stackIds.set(key, id);
    }
    const s = this.stacks[id]!;
    s.count += count;
    if (timestampUs !== undefined && s.timestamps !== undefined) {
      for (let i = 0; i < count; i++) s.timestamps.push(timestampUs);
    }
  }

  /** Adds samples of a stack given as frames, root first. */
  addStack(frames: readonly Frame[], count = 1, timestampUs?: number): void {
    this.addSample(frames.map((f) => this.frameId(f)), count, timestampUs);
  }

  /** Finishes the profile with its metadata. */
  build(meta: ProfileMeta): Profile {
    return { frames: this.frames, stacks: this.stacks, meta };
  }
}

function normalizeFrame(f: Frame): Frame {
  const out: { -readonly [K in keyof Frame]: Frame[K] } = { name: f.name, kind: f.kind };
  if (f.file !== undefined && f.file !== '') out.file = f.file;
  if (f.line !== undefined && f.line > 0) out.line = f.line;
  if (f.column !== undefined && f.column > 0) out.column = f.column;
  return out;
}

/** Role: samples in time order as (stack index, timestamp µs); synthesized at `hz` when absent. */
export function timeline(p: Profile): Array<{ stack: number; t: number }> {
  const out: Array<{ stack: number; t: number }> = [];
  const timed = p.stacks.length > 0 && p.stacks.every((s) => s.timestamps !== undefined && s.timestamps.length === s.count);
  if (timed) {
    p.stacks.forEach((s, i) => { for (const t of s.timestamps!) out.push({ stack: i, t }); });
    out.sort((a, b) => a.t - b.t);
    return out;
  }
  const step = 1e6 / (p.meta.hz && p.meta.hz > 0 ? p.meta.hz : 99);
  let t = 0;
  p.stacks.forEach((s, i) => { for (let k = 0; k < s.count; k++) { out.push({ stack: i, t }); t += step; } });
  return out;
}

/** Role: merges profiles (e.g. consecutive chunks) into `b`, shifting timestamps by `offsetUs`. */
export function addProfileTo(b: ProfileBuilder, p: Profile, offsetUs = 0): void {
  const ids = p.frames.map((f) => b.frameId(f));
  for (const s of p.stacks) {
    const frames = s.frames.map((i) => ids[i]!);
    if (s.timestamps !== undefined && s.timestamps.length === s.count) {
      for (const t of s.timestamps) b.addSample(frames, 1, t + offsetUs);
    } else {
      b.addSample(frames, s.count);
    }
  }
}
