// Streams a SnapshotSource into a .heapsnapshot file in the section order DevTools' loader reads
// (snapshot, nodes, edges, trace_function_infos, trace_tree, samples, locations, strings: strings
// last). Nodes go straight to the file; edges and strings go to temporary files beside it while the
// nodes are pulled, and are copied in after them; the node and edge counts, known only at the
// end, are written into room left for them in the header. Edge targets are node-array offsets.
import { closeSync, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { NodeSink, SnapshotSource } from '../../analysis/heapsnapshot/snapshot-model.js';
import { EdgeType, NodeType } from '../../analysis/heapsnapshot/snapshot-model.js';
import { ChunkWriter } from './chunk-writer.js';
import { snapshotMeta, type SnapshotFormat } from './snapshot-meta.js';
import { StringTable } from './string-table.js';

/** Role: what was written. */
export interface SnapshotWriteStats {
  readonly nodes: number;
  readonly edges: number;
  readonly strings: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
}

/** Room for a count in the header: digits, then spaces (JSON whitespace). */
const COUNT_WIDTH = 16;
const COPY_CHUNK = 4 << 20;

/** Writes `source` to `path` in `format`; `onProgress` gets the fraction of nodes written. */
export function writeHeapSnapshot(source: SnapshotSource, path: string, format: SnapshotFormat, onProgress?: (fraction: number) => void): SnapshotWriteStats {
  const edgesPath = `${path}.edges.tmp`;
  const stringsPath = `${path}.strings.tmp`;
  const fd = openSync(path, 'w');
  let edgesFd = -1;
  let stringsFd = -1;
  try {
    edgesFd = openSync(edgesPath, 'w+');
    stringsFd = openSync(stringsPath, 'w+');
    const out = new ChunkWriter(fd);
    const edgeOut = new ChunkWriter(edgesFd);
    const stringOut = new ChunkWriter(stringsFd);
    const strings = new StringTable(stringOut);
    strings.intern('<dummy>');
    strings.intern('');
    const head = `{"snapshot":{"meta":${JSON.stringify(snapshotMeta(format))},\n"node_count":`;
    out.ascii(head);
    const nodeCountAt = out.bytes;
    out.ascii(' '.repeat(COUNT_WIDTH) + ',"edge_count":');
    const edgeCountAt = out.bytes;
    out.ascii(' '.repeat(COUNT_WIDTH) + ',"trace_function_count":0');
    if (format.extraNativeBytes) out.ascii(',"extra_native_bytes":0');
    out.ascii('},\n"nodes":[');
    const sink = new RowSink(out, edgeOut, strings, format);
    const n = source.nodeCount;
    for (let k = 0; k < n; k++) {
      source.emit(k, sink);
      sink.endNode(k === 0);
      if ((k & 0xffff) === 0) onProgress?.(k / n);
    }
    if (sink.nodes !== n) throw new Error(`snapshot source emitted ${sink.nodes} nodes, not ${n}`);
    out.ascii('],\n"edges":[');
    edgeOut.flush();
    out.flush();
    copyInto(edgesFd, fd);
    out.ascii('],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[');
    stringOut.flush();
    out.flush();
    copyInto(stringsFd, fd);
    out.ascii(']}\n');
    out.flush();
    patchCount(fd, nodeCountAt, sink.nodes);
    patchCount(fd, edgeCountAt, sink.edges);
    onProgress?.(1);
    return { nodes: sink.nodes, edges: sink.edges, strings: strings.count, bytes: fstatSync(fd).size };
  } finally {
    closeSync(fd);
    if (edgesFd >= 0) closeSync(edgesFd);
    if (stringsFd >= 0) closeSync(stringsFd);
    rmSync(edgesPath, { force: true });
    rmSync(stringsPath, { force: true });
  }
}

/** Writes node rows and edge rows as the source emits them. */
class RowSink implements NodeSink {
  nodes = 0;
  edges = 0;
  private type = 0;
  private name = 0;
  private id = 0;
  private size = 0;
  private count = 0;
  private readonly fieldCount: number;
  private readonly traceField: boolean;
  private readonly maxType: number;

  constructor(private readonly out: ChunkWriter, private readonly edgeOut: ChunkWriter, private readonly strings: StringTable, format: SnapshotFormat) {
    this.fieldCount = format.nodeFields.length;
    this.traceField = format.nodeFields.includes('trace_node_id');
    this.maxType = format.nodeTypeCount - 1;
  }

  node(type: NodeType, name: string, id: number, selfSize: number): void {
    this.type = type > this.maxType ? NodeType.Hidden : type;
    this.name = this.strings.intern(name);
    this.id = id;
    this.size = selfSize;
    this.count = 0;
  }

  edge(type: EdgeType, nameOrIndex: string | number, to: number): void {
    const e = this.edgeOut;
    if (this.edges > 0) e.byte(0x2c);
    e.uint(type);
    e.byte(0x2c);
    e.uint(typeof nameOrIndex === 'number' ? nameOrIndex : this.strings.intern(nameOrIndex));
    e.byte(0x2c);
    e.uint(to * this.fieldCount);
    this.edges++;
    this.count++;
  }

  /** Writes the row of the node just emitted (its edge count is now known). */
  endNode(first: boolean): void {
    const o = this.out;
    if (!first) o.byte(0x2c);
    o.uint(this.type);
    o.byte(0x2c);
    o.uint(this.name);
    o.byte(0x2c);
    o.uint(this.id);
    o.byte(0x2c);
    o.uint(this.size);
    o.byte(0x2c);
    o.uint(this.count);
    // trace_node_id (V8 ≤ 12) and detachedness: 0, as V8 writes them without allocation tracking.
    o.ascii(this.traceField ? ',0,0' : ',0');
    this.nodes++;
  }
}

/** Appends the whole file `from` (from its start) to `to`. */
function copyInto(from: number, to: number): number {
  const buf = Buffer.allocUnsafe(COPY_CHUNK);
  let pos = 0;
  for (;;) {
    const n = readSync(from, buf, 0, buf.length, pos);
    if (n === 0) return pos;
    let off = 0;
    while (off < n) off += writeSync(to, buf, off, n - off);
    pos += n;
  }
}

function patchCount(fd: number, at: number, n: number): void {
  writeSync(fd, Buffer.from(String(n).padEnd(COUNT_WIDTH, ' '), 'latin1'), 0, COUNT_WIDTH, at);
}
