// The text `nodescope heapsnapshot` prints about the file it wrote (the file itself is the result).
import { formatBytes, formatCount } from '../units.js';
import type { Style } from '../style.js';

/** Role: what the heapsnapshot command wrote (the documented `heapsnapshot --json`). */
export interface HeapSnapshotReport {
  readonly file: string;
  readonly nodes: number;
  readonly edges: number;
  readonly strings: number;
  readonly bytes: number;
  /** Heap objects written (the rest are synthetic roots and `(corrupt)` nodes). */
  readonly objects: number;
  /** Objects or unparsed stretches written as `(corrupt)` hidden nodes. */
  readonly corrupt: number;
  /** Whether garbage was written too (`--all`). */
  readonly all: boolean;
  /** The V8 major whose format was written and its node fields. */
  readonly format: { readonly v8: number; readonly nodeFields: readonly string[] };
  readonly ms: number;
}

/** The summary lines. */
export function renderHeapSnapshot(r: HeapSnapshotReport, style: Style): string {
  const what = r.all ? 'every object of the heap, garbage included' : 'what the roots reach';
  const lines = [
    `${style.bold('wrote')} ${r.file}: ${formatCount(r.nodes)} nodes (${formatCount(r.objects)} heap objects, ${what}), ${formatCount(r.edges)} edges, ${formatCount(r.strings)} strings, ${formatBytes(r.bytes)} in ${(r.ms / 1000).toFixed(1)} s (V8 ${r.format.v8} format)`,
    `open it in Chrome DevTools → Memory → Load, or: memlab analyze … --snapshot ${r.file}`,
  ];
  return lines.join('\n') + '\n';
}

/** The warning for stderr when objects could not be read, or undefined. */
export function corruptWarning(r: HeapSnapshotReport): string | undefined {
  return r.corrupt > 0 ? `warning: ${formatCount(r.corrupt)} unreadable or corrupt objects were written as (corrupt) hidden nodes\n` : undefined;
}
