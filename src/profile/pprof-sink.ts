// pprof's profile.proto (github.com/google/pprof proto/profile.proto) through the pprof-format
// package, gzip-compressed as `go tool pprof` expects. Location ids list the leaf first.
import { gzipSync } from 'node:zlib';
import type * as PprofFormat from 'pprof-format';
import { lazyRequire } from '../util/lazy-require.js';

const pprof = lazyRequire<typeof PprofFormat>('pprof-format');
import { totalSamples, type Profile } from './profile-model.js';
import type { Sink } from './sink.js';

/** Role: the file name pprof functions of kernel frames carry, so readers can restore the kind. */
export const PPROF_KERNEL_FILE = '[kernel.kallsyms]';

/** Role: encodes a Profile as an (uncompressed) pprof Profile message. */
export function toPprofMessage(p: Profile): Uint8Array {
  const { Function: PFunction, Line, Location, Profile: PProfile, Sample, StringTable, ValueType } = pprof();
  const st = new StringTable();
  const hz = p.meta.hz && p.meta.hz > 0 ? p.meta.hz : 99;
  const period = Math.round(1e9 / hz);
  const functions = p.frames.map((f, i) => {
    const name = st.dedup(f.name === '' ? '(anonymous)' : f.name);
    const file = f.kind === 'kernel' ? PPROF_KERNEL_FILE : (f.file ?? '');
    return new PFunction({ id: i + 1, name, systemName: name, filename: st.dedup(file), startLine: f.line ?? 0 });
  });
  const locations = p.frames.map((f, i) => new Location({ id: i + 1, line: [new Line({ functionId: i + 1, line: f.line ?? 0, column: f.column ?? 0 })] }));
  const samples = p.stacks
    .filter((s) => s.count > 0)
    .map((s) => new Sample({ locationId: [...s.frames].reverse().map((i) => i + 1), value: [s.count, s.count * period] }));
  const prof = new PProfile({
    sampleType: [new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') }), new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') })],
    sample: samples,
    location: locations,
    function: functions,
    stringTable: st,
    timeNanos: BigInt(Math.round(p.meta.startTime)) * 1_000_000n,
    durationNanos: BigInt(Math.round(p.meta.durationMs)) * 1_000_000n,
    periodType: new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') }),
    period,
    comment: [st.dedup(`nodescope ${p.meta.mode} mode${p.meta.pid !== undefined ? `, pid ${p.meta.pid}` : ''}, ${totalSamples(p)} samples`)],
  });
  return prof.encode();
}

/** Role: Sink for gzip-compressed pprof (`.pb.gz`). */
export class PprofSink implements Sink {
  readonly format = 'pprof' as const;
  readonly extension = '.pb.gz';

  encode(p: Profile): Buffer {
    return gzipSync(toPprofMessage(p));
  }
}
