// Reads Chrome CPU profiles (a `.cpuprofile` file, or what the DevTools protocol's
// Profiler.stop returns) into a Profile. Checks ids and the tree; never trusts the input.
import { FormatError } from '../util/errors.js';
import { classifyFrameName } from './classify-frame.js';
import { ProfileBuilder, type Frame, type Profile, type ProfileMeta } from './profile-model.js';

const MAX_DEPTH = 4096;

interface RawNode {
  id: number;
  callFrame: { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number };
  hitCount?: number;
  children?: number[];
  parent?: number;
}

/** Role: the Frame of one Chrome callFrame (0-based positions become 1-based). */
export function frameOfCallFrame(cf: RawNode['callFrame']): Frame {
  const name = typeof cf.functionName === 'string' ? cf.functionName : '';
  const url = typeof cf.url === 'string' ? cf.url : '';
  let kind: Frame['kind'];
  if (name === '(garbage collector)') kind = 'gc';
  else if (/^\((program|idle|root)\)$/.test(name)) kind = 'other';
  else if (url !== '') kind = 'js';
  else kind = classifyFrameName(name) === 'native' ? 'native' : 'builtin';
  const f: { -readonly [K in keyof Frame]: Frame[K] } = { name, kind };
  if (url !== '') f.file = url;
  if (typeof cf.lineNumber === 'number' && cf.lineNumber >= 0) f.line = cf.lineNumber + 1;
  if (typeof cf.columnNumber === 'number' && cf.columnNumber >= 0) f.column = cf.columnNumber + 1;
  return f;
}

/** Role: converts a parsed Chrome CPU profile object into a Profile. */
export function fromCpuProfile(json: unknown, meta: Partial<ProfileMeta> = {}, name = 'cpuprofile'): Profile {
  const o = json as { nodes?: unknown; samples?: unknown; timeDeltas?: unknown; startTime?: unknown; endTime?: unknown };
  if (typeof o !== 'object' || o === null || !Array.isArray(o.nodes)) throw new FormatError(name, 'no "nodes" array: not a CPU profile');
  const byId = new Map<number, RawNode>();
  for (const n of o.nodes as RawNode[]) {
    if (typeof n !== 'object' || n === null || typeof n.id !== 'number' || typeof n.callFrame !== 'object' || n.callFrame === null) {
      throw new FormatError(name, 'node without id or callFrame');
    }
    byId.set(n.id, n);
  }
  const parent = new Map<number, number>();
  for (const n of byId.values()) {
    for (const c of n.children ?? []) parent.set(c, n.id);
    if (typeof n.parent === 'number' && !parent.has(n.id)) parent.set(n.id, n.parent);
  }
  const b = new ProfileBuilder();
  const stackOf = new Map<number, number[]>();
  const stackIds = (id: number): number[] => {
    const cached = stackOf.get(id);
    if (cached) return cached;
    const chain: Frame[] = [];
    let cur: number | undefined = id;
    for (let depth = 0; cur !== undefined; depth++) {
      if (depth > MAX_DEPTH) throw new FormatError(name, 'node tree too deep or cyclic');
      const node = byId.get(cur);
      if (!node) throw new FormatError(name, `sample or child refers to missing node ${cur}`);
      if (parent.get(cur) !== undefined || node.callFrame.functionName !== '(root)') chain.push(frameOfCallFrame(node.callFrame));
      cur = parent.get(cur);
    }
    chain.reverse();
    const ids = chain.map((f) => b.frameId(f));
    stackOf.set(id, ids);
    return ids;
  };
  const startTime = typeof o.startTime === 'number' ? o.startTime : 0;
  const endTime = typeof o.endTime === 'number' ? o.endTime : startTime;
  if (Array.isArray(o.samples)) {
    const samples = o.samples as unknown[];
    const deltas = Array.isArray(o.timeDeltas) ? (o.timeDeltas as unknown[]) : [];
    let t = 0;
    samples.forEach((id, i) => {
      if (typeof id !== 'number') throw new FormatError(name, `sample ${i} is not a node id`);
      const d = deltas[i];
      t += typeof d === 'number' && d > 0 ? d : 0;
      b.addSample(stackIds(id), 1, deltas.length === samples.length ? t : undefined);
    });
  } else {
    for (const n of byId.values()) if ((n.hitCount ?? 0) > 0) b.addSample(stackIds(n.id), n.hitCount!);
  }
  return b.build({
    mode: meta.mode ?? 'file',
    durationMs: meta.durationMs ?? Math.max(0, (endTime - startTime) / 1000),
    startTime: meta.startTime ?? startTime / 1000,
    notes: meta.notes ?? [],
    ...(meta.pid !== undefined ? { pid: meta.pid } : {}),
    ...(meta.hz !== undefined ? { hz: meta.hz } : {}),
  });
}
