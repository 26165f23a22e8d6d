// Reads a pprof profile (gzip-compressed or not) into a Profile, using the first sample type
// as the count. Inlined lines of a location become separate frames, caller first.
import { gunzipSync } from 'node:zlib';
import type * as PprofFormat from 'pprof-format';
import { lazyRequire } from '../util/lazy-require.js';

const pprof = lazyRequire<typeof PprofFormat>('pprof-format');
import { FormatError } from '../util/errors.js';
import { classifyFrameName } from './classify-frame.js';
import { PPROF_KERNEL_FILE } from './pprof-sink.js';
import { ProfileBuilder, type Frame, type Profile } from './profile-model.js';

const MAX_BYTES = 1 << 30;

/** Role: decodes pprof bytes into a Profile; `name` is used in error messages. */
export function readPprof(bytes: Buffer, name = 'pprof profile'): Profile {
  let raw: Buffer = bytes;
  try {
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) raw = gunzipSync(bytes, { maxOutputLength: MAX_BYTES });
  } catch {
    throw new FormatError(name, 'bad gzip data');
  }
  let prof: PprofFormat.Profile;
  try {
    prof = pprof().Profile.decode(raw);
  } catch {
    throw new FormatError(name, 'not a pprof protobuf');
  }
  const strings = prof.stringTable.strings;
  const str = (i: number | bigint): string => strings[Number(i)] ?? '';
  const funcs = new Map<string, { name: string; file: string }>();
  for (const f of prof.function) funcs.set(String(f.id), { name: str(f.name), file: str(f.filename) });
  const locs = new Map<string, Frame[]>();
  for (const l of prof.location) {
    const frames: Frame[] = [];
    for (const line of [...l.line].reverse()) {
      const fn = funcs.get(String(line.functionId));
      if (!fn) continue;
      const kernel = fn.file === PPROF_KERNEL_FILE;
      const f: { -readonly [K in keyof Frame]: Frame[K] } = { name: fn.name === '(anonymous)' ? '' : fn.name, kind: kernel ? 'kernel' : classifyFrameName(fn.name, fn.file) };
      if (!kernel && fn.file !== '') f.file = fn.file;
      if (Number(line.line) > 0) f.line = Number(line.line);
      if (Number(line.column) > 0) f.column = Number(line.column);
      frames.push(f);
    }
    if (frames.length === 0) frames.push({ name: `0x${BigInt(l.address).toString(16)}`, kind: 'other' });
    locs.set(String(l.id), frames);
  }
  const b = new ProfileBuilder();
  for (const s of prof.sample) {
    const count = Number(s.value[0] ?? 0);
    const stack: Frame[] = [];
    for (const id of [...s.locationId].reverse()) stack.push(...(locs.get(String(id)) ?? [{ name: '[unknown]', kind: 'other' as const }]));
    b.addStack(stack, count);
  }
  const periodNs = Number(prof.period);
  const hz = periodNs > 0 && prof.periodType && str(prof.periodType.unit) === 'nanoseconds' ? Math.round(1e9 / periodNs) : undefined;
  const meta = { mode: 'file' as const, durationMs: Number(prof.durationNanos) / 1e6, startTime: Number(prof.timeNanos) / 1e6, notes: [] };
  return b.build(hz !== undefined ? { ...meta, hz } : meta);
}
