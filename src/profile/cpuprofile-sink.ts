// Chrome's `.cpuprofile` (the DevTools protocol's Profiler.Profile): a node tree rooted at
// `(root)` with 0-based callFrame positions, plus samples (node ids) and timeDeltas in µs.
import { timeline, type Profile } from './profile-model.js';
import type { Sink } from './sink.js';

/** Role: one node of a Chrome CPU profile. */
export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
  hitCount: number;
  children: number[];
  parent?: number;
}

/** Role: a Chrome CPU profile as DevTools loads it. */
export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Role: converts a Profile into Chrome's CPU profile object (nodes in preorder, root first). */
export function toCpuProfile(p: Profile): CpuProfile {
  const scriptIds = new Map<string, string>();
  const nodes: CpuProfileNode[] = [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [] }];
  const childOf = new Map<string, number>();
  const leafOfStack = p.stacks.map((s) => {
    let parent = 1;
    for (const fi of s.frames) {
      const key = `${parent}:${fi}`;
      let id = childOf.get(key);
      if (id === undefined) {
        const f = p.frames[fi]!;
        const isJs = f.kind === 'js' && f.file !== undefined;
        const url = isJs ? f.file! : '';
        let scriptId = '0';
        if (isJs) {
          scriptId = scriptIds.get(url) ?? String(scriptIds.size + 1);
          scriptIds.set(url, scriptId);
        }
        id = nodes.length + 1;
        nodes.push({
          id,
          callFrame: { functionName: f.name, scriptId, url, lineNumber: f.line !== undefined ? f.line - 1 : -1, columnNumber: f.column !== undefined ? f.column - 1 : -1 },
          hitCount: 0,
          children: [],
          parent,
        });
        nodes[parent - 1]!.children.push(id);
        childOf.set(key, id);
      }
      parent = id;
    }
    return parent;
  });
  const order = timeline(p);
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  const start = Math.round(p.meta.startTime * 1000);
  let last = 0;
  for (const s of order) {
    const node = leafOfStack[s.stack]!;
    samples.push(node);
    nodes[node - 1]!.hitCount++;
    const t = Math.round(s.t);
    timeDeltas.push(Math.max(0, t - last));
    last = Math.max(last, t);
  }
  const endOffset = Math.max(last, Math.round(p.meta.durationMs * 1000));
  return { nodes, startTime: start, endTime: start + endOffset, samples, timeDeltas };
}

/** Role: Sink for Chrome `.cpuprofile` JSON. */
export class CpuprofileSink implements Sink {
  readonly format = 'cpuprofile' as const;
  readonly extension = '.cpuprofile';

  encode(p: Profile): Buffer {
    return Buffer.from(JSON.stringify(toCpuProfile(p)), 'utf8');
  }
}
