// The output side of profiling: a Sink turns a Profile into the bytes of one file format, and
// the registry of formats maps names and file extensions to sinks. Sinks never touch the disk.
import type { Profile } from './profile-model.js';

/** Role: names of the output formats `--format` accepts. */
export type ProfileFormat = 'collapsed' | 'speedscope' | 'pprof' | 'cpuprofile' | 'svg' | 'html';

/** Role: encodes a Profile as one file format. */
export interface Sink {
  readonly format: ProfileFormat;
  /** Default file extension, with its dot. */
  readonly extension: string;
  encode(p: Profile): Buffer;
}

/** Role: every format name, in help order. */
export const PROFILE_FORMATS: readonly ProfileFormat[] = ['svg', 'html', 'collapsed', 'speedscope', 'pprof', 'cpuprofile'];

/** Role: picks a format from an output file name; undefined when the extension is unknown. */
export function formatFromPath(path: string): ProfileFormat | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.svg')) return 'svg';
  if (p.endsWith('.html') || p.endsWith('.htm')) return 'html';
  if (p.endsWith('.folded') || p.endsWith('.collapsed') || p.endsWith('.txt')) return 'collapsed';
  if (p.endsWith('.speedscope.json') || p.endsWith('.speedscope')) return 'speedscope';
  if (p.endsWith('.pb.gz') || p.endsWith('.pprof') || p.endsWith('.pb')) return 'pprof';
  if (p.endsWith('.cpuprofile')) return 'cpuprofile';
  if (p.endsWith('.json')) return 'speedscope';
  return undefined;
}
