// `triage`: one crash report per core (kind, signal, error, frames, versions, signature) and the
// grouping of many reports by signature: count, first and last seen, the Node and V8 versions
// met, one example core per group. Reading a core is per session; grouping is pure.
import type { Session } from '../session.js';
import { fatalError, type FatalKind } from './fatal-error.js';
import { objectProp, prop, stringOf } from './js-object.js';
import { frameRealm, processObject } from './node-context.js';
import { crashSignature, type CrashSignature } from './signature.js';

/** Role: what triage keeps of one core. */
export interface CrashReport {
  readonly core: string;
  readonly kind: FatalKind;
  readonly signal?: string;
  readonly signature: CrashSignature;
  /** The error's message as thrown (the signature holds it normalised). */
  readonly message?: string;
  readonly nodeVersion?: string;
  readonly v8Version?: string;
  /** When the core was written (its file's mtime), ISO 8601. */
  readonly time: string;
}

/** Role: one group of `triage --json`. */
export interface TriageGroup {
  readonly signature: string;
  readonly id: string;
  readonly kind: string;
  readonly count: number;
  /** Every core of the group, oldest first. */
  readonly cores: readonly string[];
  /** One core to open (the newest). */
  readonly example: string;
  readonly error?: { readonly constructor: string; readonly message: string; readonly example?: string };
  readonly frames: readonly string[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly nodeVersions: readonly string[];
  readonly v8Versions: readonly string[];
  readonly signals: readonly string[];
}

/** Role: the whole result of `triage`. */
export interface TriageResult {
  readonly groups: readonly TriageGroup[];
  /** Cores that could not be read, with the one-line reason. */
  readonly failed: readonly { readonly core: string; readonly problem: string }[];
}

/** The crash report of one core. */
export function crashReport(session: Session, core: string, time: Date): CrashReport {
  const f = fatalError(session);
  const frames = f.error !== undefined && f.error.frames.length > 0 ? f.error.frames : f.jsFrames;
  const error = f.error ?? (f.kind === 'oom' ? { constructor: 'OutOfMemory', message: f.detail ?? 'heap limit reached' } : undefined);
  const heap = session.heap();
  const proc = processObject(session, frameRealm(session));
  const nodeVersion = stringOf(heap, prop(heap, proc, 'version'))?.replace(/^v/, '') ?? stringOf(heap, prop(heap, objectProp(heap, proc, 'versions'), 'node'));
  const v8Version = session.layout().v8Version;
  return {
    core,
    kind: f.kind,
    ...(f.signal !== undefined ? { signal: f.signal } : {}),
    signature: crashSignature(f.kind, error, frames),
    ...(error !== undefined ? { message: error.message } : {}),
    ...(nodeVersion !== undefined ? { nodeVersion } : {}),
    ...(v8Version !== undefined ? { v8Version } : {}),
    time: time.toISOString(),
  };
}

const uniq = (xs: readonly (string | undefined)[]): string[] => [...new Set(xs.filter((x): x is string => x !== undefined))].sort();

/** Groups crash reports by signature, largest group first. */
export function groupCrashes(reports: readonly CrashReport[], failed: TriageResult['failed'] = []): TriageResult {
  const by = new Map<string, CrashReport[]>();
  for (const r of reports) by.set(r.signature.signature, [...(by.get(r.signature.signature) ?? []), r]);
  const groups = [...by.values()].map((rs): TriageGroup => {
    const sorted = [...rs].sort((a, b) => a.time.localeCompare(b.time) || a.core.localeCompare(b.core));
    const s = sorted[0]!.signature;
    const example = sorted[sorted.length - 1]!;
    return {
      signature: s.signature,
      id: s.id,
      kind: s.kind,
      count: rs.length,
      cores: sorted.map((r) => r.core),
      example: example.core,
      ...(s.error !== undefined ? { error: { ...s.error, ...(example.message !== undefined ? { example: example.message } : {}) } } : {}),
      frames: s.frames,
      firstSeen: sorted[0]!.time,
      lastSeen: example.time,
      nodeVersions: uniq(rs.map((r) => r.nodeVersion)),
      v8Versions: uniq(rs.map((r) => r.v8Version)),
      signals: uniq(rs.map((r) => r.signal)),
    };
  });
  groups.sort((a, b) => b.count - a.count || a.signature.localeCompare(b.signature));
  return { groups, failed };
}
