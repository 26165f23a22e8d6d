// Folded stacks as Brendan Gregg's stackcollapse scripts write them: one `root;…;leaf count`
// line per distinct stack. `;` and `\` in names are backslash-escaped; kernel and JS frames
// carry flamegraph.pl's `_[k]` / `_[j]` annotations so the kind survives a round trip.
import { frameLabel, type Frame, type Profile } from './profile-model.js';
import type { Sink } from './sink.js';

/** Role: the folded-stack text of one frame (escaped, annotated, on one line). */
export function foldedFrameText(f: Frame): string {
  const text = frameLabel(f).replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/;/g, '\\;');
  if (f.kind === 'kernel') return text + '_[k]';
  if (f.kind === 'js') return text + '_[j]';
  return text;
}

/** Role: Sink for folded (collapsed) stacks. */
export class CollapsedSink implements Sink {
  readonly format = 'collapsed' as const;
  readonly extension = '.folded';

  encode(p: Profile): Buffer {
    const texts = p.frames.map(foldedFrameText);
    const lines = p.stacks
      .filter((s) => s.count > 0)
      .map((s) => `${s.frames.length === 0 ? '[empty]' : s.frames.map((i) => texts[i]).join(';')} ${s.count}`);
    lines.sort();
    return Buffer.from(lines.join('\n') + (lines.length > 0 ? '\n' : ''), 'utf8');
  }
}
