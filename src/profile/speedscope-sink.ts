// speedscope's JSON file format (jlfwong/speedscope src/lib/file-format-spec.ts): shared frames
// and one 'sampled' profile whose samples are stacks of frame indices, root first, with weights.
import { timeline, totalSamples, type Profile } from './profile-model.js';
import type { Sink } from './sink.js';

/** Role: the `$schema` value speedscope requires. */
export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

/** Role: Sink for speedscope JSON; samples in time order, weights in µs when timed. */
export class SpeedscopeSink implements Sink {
  readonly format = 'speedscope' as const;
  readonly extension = '.speedscope.json';

  encode(p: Profile): Buffer {
    const frames = p.frames.map((f) => {
      const o: { name: string; file?: string; line?: number; col?: number } = { name: f.name === '' ? '(anonymous)' : f.name };
      if (f.file !== undefined) o.file = f.file;
      if (f.line !== undefined) o.line = f.line;
      if (f.column !== undefined) o.col = f.column;
      return o;
    });
    const order = timeline(p);
    const step = 1e6 / (p.meta.hz && p.meta.hz > 0 ? p.meta.hz : 99);
    const samples: number[][] = [];
    const weights: number[] = [];
    order.forEach((s, i) => {
      samples.push([...p.stacks[s.stack]!.frames]);
      const next = order[i + 1];
      weights.push(Math.max(0, Math.round(next !== undefined ? next.t - s.t : step)));
    });
    const end = weights.reduce((a, b) => a + b, 0);
    const title = p.meta.pid !== undefined ? `pid ${p.meta.pid} (${p.meta.mode} mode, ${totalSamples(p)} samples)` : 'nodescope profile';
    const file = {
      $schema: SPEEDSCOPE_SCHEMA,
      shared: { frames },
      profiles: [{ type: 'sampled', name: title, unit: 'microseconds', startValue: 0, endValue: end, samples, weights }],
      name: title,
      activeProfileIndex: 0,
      exporter: 'nodescope',
    };
    return Buffer.from(JSON.stringify(file), 'utf8');
  }
}
