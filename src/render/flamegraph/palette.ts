// Colours of flame graph frames by kind: JS green, builtins aqua, native C++ warm yellow-red,
// GC blue-violet, kernel orange, other grey. Shades vary by a hash of the name, deterministically.
import type { FrameKind } from '../../profile/profile-model.js';

/** Role: the legend shown under the graph, one entry per kind. */
export const PALETTE_LEGEND: ReadonlyArray<{ kind: FrameKind; label: string; color: string }> = [
  { kind: 'js', label: 'JavaScript', color: 'rgb(80,190,80)' },
  { kind: 'builtin', label: 'V8 builtin / interpreter', color: 'rgb(80,190,190)' },
  { kind: 'native', label: 'native (C/C++)', color: 'rgb(225,180,60)' },
  { kind: 'gc', label: 'garbage collection', color: 'rgb(130,110,220)' },
  { kind: 'kernel', label: 'kernel', color: 'rgb(240,130,40)' },
  { kind: 'other', label: 'other', color: 'rgb(170,170,170)' },
];

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return ((h >>> 0) % 1000) / 1000;
}

/** Role: the fill colour of a frame, from its kind and (for the shade) its name. */
export function frameColor(kind: FrameKind, name: string): string {
  const v = hashName(name);
  const c = (lo: number, span: number): number => Math.round(lo + span * v);
  switch (kind) {
    case 'js': return `rgb(${c(50, 60)},${c(170, 50)},${c(50, 40)})`;
    case 'builtin': return `rgb(${c(60, 40)},${c(170, 40)},${c(170, 40)})`;
    case 'native': return `rgb(${c(205, 50)},${c(100, 120)},${c(30, 40)})`;
    case 'gc': return `rgb(${c(110, 40)},${c(90, 40)},${c(200, 50)})`;
    case 'kernel': return `rgb(${c(230, 25)},${c(110, 50)},${c(20, 30)})`;
    default: return `rgb(${c(150, 40)},${c(150, 40)},${c(150, 40)})`;
  }
}
