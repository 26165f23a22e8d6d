// Whether a live process is Node: its binary carries V8's postmortem metadata (the one check,
// v8/layout/metadata-check), or, for a stripped build, its executable is named like node (then
// only what needs no V8 layout works: the inspector profiler, snapshots).
import { basename } from 'node:path';
import type { LiveProcess } from '../target/live/live-process-check.js';
import { v8MetadataMissing } from '../v8/layout/metadata-check.js';
import { TargetError } from '../util/errors.js';

/** Role: a live Node process, and why its V8 state cannot be read when it cannot. */
export interface NodeProcess extends LiveProcess {
  /** Why the binary's V8 metadata is missing; undefined when the layout can load. */
  readonly v8Missing?: string;
}

/** Role: accepts `proc` as Node given its binary's V8-prefixed symbols, or throws the TargetError that says why not. */
export function requireNodeProcess(proc: LiveProcess, v8Symbols: readonly { readonly name: string }[]): NodeProcess {
  const missing = v8MetadataMissing(v8Symbols, proc.exe);
  if (missing === undefined) return proc;
  if (!/^node(js)?([-_.]?\d+(\.\d+)*)?$/i.test(basename(proc.exe))) throw new TargetError(`PID ${proc.pid} is not a Node process (exe: ${proc.exe})`, 'NOT_NODE');
  return { ...proc, v8Missing: missing };
}
