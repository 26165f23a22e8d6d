// Streams a SnapshotSource into a .heapsnapshot file in the section order DevTools' loader reads
// (snapshot, nodes, edges, trace_function_infos, trace_tree, samples, locations, strings: strings
// last). Node rows go straight to the file as the source emits them; edges wait in typed arrays
// (9 bytes each) and are written after the nodes; strings are written last, string contents asked
// of the source again then, so no section is ever one string. The node and edge counts, known only
// at the end, are written into room left for them in the header. Edge targets are node offsets.
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import type { NodeSink, SnapshotSource } from '../../analysis/heapsnapshot/snapshot-model.js';
import { EdgeType, NodeType } from '../../analysis/heapsnapshot/snapshot-model.js';
import { ChunkWriter } from './chunk-writer.js';
import { EdgeBuffer } from './edge-buffer.js';
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

/** Writes `source` to `path` in `format`; `onProgress` gets the fraction written and the phase. */
export function writeHeapSnapshot(source: SnapshotSource, path: string, format: SnapshotFormat, onProgress?: (fraction: number, what: string) => void): SnapshotWriteStats {
  const fd = openSync(path, 'w');
  try {
    const out = new ChunkWriter(fd);
    const strings = new StringTable();
    strings.intern('<dummy>');
    strings.intern('');
    out.ascii(`{"snapshot":{"meta":${JSON.stringify(snapshotMeta(format))},\n"node_count":`);
    const nodeCountAt = out.bytes;
    out.ascii(' '.repeat(COUNT_WIDTH) + ',"edge_count":');
    const edgeCountAt = out.bytes;
    out.ascii(' '.repeat(COUNT_WIDTH) + ',"trace_function_count":0');
    if (format.extraNativeBytes) out.ascii(',"extra_native_bytes":0');
    out.ascii('},\n"nodes":[');
    const sink = new RowSink(out, strings, format);
    const n = source.nodeCount;
    for (let k = 0; k < n; k++) {
      source.emit(k, sink);
      sink.endNode(k === 0);
      if ((k & 0xffff) === 0) onProgress?.(k / n / 2, 'writing nodes');
    }
    if (sink.nodes !== n) throw new Error(`snapshot source emitted ${sink.nodes} nodes, not ${n}`);
    out.ascii('],\n"edges":[');
    const fields = format.nodeFields.length;
    let written = 0;
    const total = sink.edges.count;
    sink.edges.forEach((type, name, to) => {
      if (written > 0) out.byte(0x2c);
      out.uint(type);
      out.byte(0x2c);
      out.uint(name);
      out.byte(0x2c);
      out.uint(to * fields);
      if ((++written & 0xfffff) === 0) onProgress?.(0.5 + (written / total) * 0.2, 'writing edges');
    });
    out.ascii('],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[');
    onProgress?.(0.7, 'writing strings');
    strings.writeTo(out, (key) => source.nameLater(key));
    out.ascii(']}\n');
    out.flush();
    patchCount(fd, nodeCountAt, sink.nodes);
    patchCount(fd, edgeCountAt, total);
    onProgress?.(1, 'written');
    return { nodes: sink.nodes, edges: total, strings: strings.count, bytes: fstatSync(fd).size };
  } finally {
    closeSync(fd);
  }
}

/** Writes node rows as the source emits them and keeps their edges. */
class RowSink implements NodeSink {
  nodes = 0;
  readonly edges = new EdgeBuffer();
  private type = 0;
  private name = 0;
  private id = 0;
  private size = 0;
  private count = 0;
  private readonly traceField: boolean;
  private readonly maxType: number;

  constructor(private readonly out: ChunkWriter, private readonly strings: StringTable, format: SnapshotFormat) {
    this.traceField = format.nodeFields.includes('trace_node_id');
    this.maxType = format.nodeTypeCount - 1;
  }

  node(type: NodeType, name: string, id: number, selfSize: number): void {
    this.start(type, this.strings.intern(name), id, selfSize);
  }

  nodeNamedLater(type: NodeType, key: number, id: number, selfSize: number): void {
    this.start(type, this.strings.later(key), id, selfSize);
  }

  edge(type: EdgeType, nameOrIndex: string | number, to: number): void {
    let name: number;
    if (typeof nameOrIndex === 'string') name = this.strings.intern(nameOrIndex);
    else name = type === EdgeType.Element || type === EdgeType.Hidden ? nameOrIndex : this.strings.internNumber(nameOrIndex);
    this.edges.push(type, name, to);
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

  private start(type: NodeType, name: number, id: number, selfSize: number): void {
    this.type = type > this.maxType ? NodeType.Hidden : type;
    this.name = name;
    this.id = id;
    this.size = selfSize;
    this.count = 0;
  }
}

function patchCount(fd: number, at: number, n: number): void {
  writeSync(fd, Buffer.from(String(n).padEnd(COUNT_WIDTH, ' '), 'latin1'), 0, COUNT_WIDTH, at);
}
