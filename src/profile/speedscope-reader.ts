// Reads speedscope JSON files with 'sampled' profiles (ours or others') into a Profile; the
// first sampled profile is used, weights become sample counts when unit is 'none'.
import { FormatError } from '../util/errors.js';
import { classifyFrameName } from './classify-frame.js';
import { ProfileBuilder, type Frame, type Profile } from './profile-model.js';
import { SPEEDSCOPE_SCHEMA } from './speedscope-sink.js';

/** Role: converts a parsed speedscope file object into a Profile (one sample per stack entry). */
export function fromSpeedscope(json: unknown, name = 'speedscope file'): Profile {
  const o = json as { $schema?: unknown; shared?: { frames?: unknown }; profiles?: unknown };
  if (typeof o !== 'object' || o === null || o.$schema !== SPEEDSCOPE_SCHEMA) throw new FormatError(name, 'not a speedscope file ($schema)');
  const rawFrames = o.shared?.frames;
  if (!Array.isArray(rawFrames)) throw new FormatError(name, 'no shared.frames');
  const frames: Frame[] = rawFrames.map((f: { name?: unknown; file?: unknown; line?: unknown; col?: unknown }, i) => {
    if (typeof f?.name !== 'string') throw new FormatError(name, `frame ${i} has no name`);
    const file = typeof f.file === 'string' ? f.file : undefined;
    const out: { -readonly [K in keyof Frame]: Frame[K] } = { name: f.name === '(anonymous)' ? '' : f.name, kind: classifyFrameName(f.name, file) };
    if (file !== undefined) out.file = file;
    if (typeof f.line === 'number') out.line = f.line;
    if (typeof f.col === 'number') out.column = f.col;
    return out;
  });
  const prof = Array.isArray(o.profiles) ? (o.profiles as Array<{ type?: unknown; samples?: unknown; weights?: unknown; unit?: unknown }>).find((p) => p?.type === 'sampled') : undefined;
  if (!prof || !Array.isArray(prof.samples) || !Array.isArray(prof.weights) || prof.weights.length !== prof.samples.length) {
    throw new FormatError(name, 'no sampled profile with samples and weights of equal length');
  }
  const b = new ProfileBuilder();
  const ids = frames.map((f) => b.frameId(f));
  let t = 0;
  (prof.samples as unknown[]).forEach((s, i) => {
    if (!Array.isArray(s) || !s.every((x) => typeof x === 'number' && ids[x] !== undefined)) throw new FormatError(name, `sample ${i} refers to a missing frame`);
    const w = Number((prof.weights as unknown[])[i]);
    const count = prof.unit === 'none' ? Math.max(0, Math.round(w)) : 1;
    b.addSample(s.map((x: number) => ids[x]!), count, prof.unit === 'none' ? undefined : t);
    t += Number.isFinite(w) ? w : 0;
  });
  return b.build({ mode: 'file', durationMs: prof.unit === 'microseconds' ? t / 1000 : 0, startTime: 0, notes: [] });
}
