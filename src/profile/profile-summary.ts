// Plain-data summaries of a profile for the one-line report after profiling: the frames with
// the most self and total samples.
import { frameLabel, totalSamples, type Profile } from './profile-model.js';

/** Role: one frame's share of the samples. */
export interface FrameShare {
  readonly label: string;
  readonly samples: number;
  readonly percent: number;
}

/** Role: the `limit` frames with most samples, by `self` (leaf) or `total` (anywhere in the stack). */
export function topFrames(p: Profile, by: 'self' | 'total', limit = 5): FrameShare[] {
  const counts = new Map<string, number>();
  const labels = p.frames.map(frameLabel);
  for (const s of p.stacks) {
    if (by === 'self') {
      const leaf = s.frames[s.frames.length - 1];
      if (leaf !== undefined) counts.set(labels[leaf]!, (counts.get(labels[leaf]!) ?? 0) + s.count);
    } else {
      for (const l of new Set(s.frames.map((i) => labels[i]!))) counts.set(l, (counts.get(l) ?? 0) + s.count);
    }
  }
  const total = Math.max(1, totalSamples(p));
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([label, samples]) => ({ label, samples, percent: (100 * samples) / total }));
}
