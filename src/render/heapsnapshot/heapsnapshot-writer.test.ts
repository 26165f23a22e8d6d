// The writer's format on a tiny synthetic graph: sections in DevTools' order with strings last,
// the version's meta, node rows with their edge counts, edge targets as node offsets, names
// interned (string contents asked for at the end), counts in the header, and JSON that parses.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EdgeType, NodeType, type NodeSink, type SnapshotSource } from '../../analysis/heapsnapshot/snapshot-model.js';
import { ChunkWriter } from './chunk-writer.js';
import { writeHeapSnapshot } from './heapsnapshot-writer.js';
import { snapshotFormat } from './snapshot-meta.js';

const dir = mkdtempSync(join(tmpdir(), 'nodescope-writer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** root → (GC roots); root ⇢ Leak (shortcut); Leak.url → a string named later; Leak[0] → itself. */
const TINY: SnapshotSource = {
  nodeCount: 4,
  emit(k: number, sink: NodeSink): void {
    if (k === 0) {
      sink.node(NodeType.Synthetic, '', 1, 0);
      sink.edge(EdgeType.Element, 1, 1);
      sink.edge(EdgeType.Shortcut, 2, 2);
    } else if (k === 1) sink.node(NodeType.Synthetic, '(GC roots)', 3, 0);
    else if (k === 2) {
      sink.node(NodeType.Object, 'Leak', 2 ** 32 - 1, 56);
      sink.edge(EdgeType.Property, 'url', 3);
      sink.edge(EdgeType.Element, 0, 2);
      sink.edge(EdgeType.Internal, 'map', 1);
    } else sink.nodeNamedLater(NodeType.String, 77, 1001, 32);
  },
  nameLater: (key) => (key === 77 ? '/orders/\u2603"\n' : 'wrong key'),
};

test('the file parses, with sections in order, rows and offsets as V8 writes them (Node 20 format)', () => {
  const file = join(dir, 'tiny20.heapsnapshot');
  const stats = writeHeapSnapshot(TINY, file, snapshotFormat('11.3.244.8'));
  const text = readFileSync(file, 'utf8');
  const snap = JSON.parse(text) as { snapshot: { meta: { node_fields: string[]; node_types: string[][] }; node_count: number; edge_count: number }; nodes: number[]; edges: number[]; strings: string[] };
  assert.deepEqual(Object.keys(snap), ['snapshot', 'nodes', 'edges', 'trace_function_infos', 'trace_tree', 'samples', 'locations', 'strings']);
  assert.equal(snap.snapshot.node_count, 4);
  assert.equal(snap.snapshot.edge_count, 5);
  assert.deepEqual([stats.nodes, stats.edges, stats.bytes], [4, 5, Buffer.byteLength(text)]);
  assert.equal(snap.snapshot.meta.node_fields.length, 7);
  assert.ok(snap.snapshot.meta.node_types[0]!.includes('wasm object'));
  assert.equal('extra_native_bytes' in snap.snapshot, false);
  const s = (i: number): string => snap.strings[i]!;
  // Rows: type, name, id, self_size, edge_count, trace_node_id, detachedness.
  assert.deepEqual(snap.nodes.slice(14, 21), [3, snap.strings.indexOf('Leak'), 2 ** 32 - 1, 56, 3, 0, 0]);
  assert.equal(s(snap.nodes[22]!), '/orders/\u2603"\n', 'a string node named at the end');
  assert.deepEqual(snap.edges.slice(0, 6), [1, 1, 7, 5, snap.strings.indexOf('2'), 14], 'to_node = ordinal × 7; a shortcut named "2"');
  assert.deepEqual(snap.edges.slice(6, 15), [2, snap.strings.indexOf('url'), 21, 1, 0, 14, 3, snap.strings.indexOf('map'), 7]);
  assert.deepEqual([s(0), s(1)], ['<dummy>', '']);
  assert.equal(new Set(snap.strings).size, snap.strings.length, 'no string twice');
  assert.ok(text.lastIndexOf('"strings"') > text.lastIndexOf('"locations"'));
});

test('Node 24 and 26 formats: six node fields, extra_native_bytes, and the type row each writes', () => {
  for (const [v8, row] of [['13.6.233.17', 6], ['14.6.202.34', 5]] as const) {
    const file = join(dir, `tiny${v8}.heapsnapshot`);
    writeHeapSnapshot(TINY, file, snapshotFormat(v8));
    const snap = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: unknown[] }; extra_native_bytes: number }; nodes: number[]; edges: number[] };
    assert.deepEqual(snap.snapshot.meta.node_fields, ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness']);
    assert.equal(snap.snapshot.meta.node_types.length - 1, row, `V8 ${v8}: the type row after the node types`);
    assert.equal(snap.snapshot.extra_native_bytes, 0);
    assert.equal(snap.nodes.length, 4 * 6);
    assert.equal(snap.edges[2], 6);
  }
});

test('ChunkWriter: decimal digits of whole numbers up to 2^53 across chunk boundaries', () => {
  const file = join(dir, 'digits.txt');
  const values: number[] = [];
  for (let i = 0; i < 200_000; i++) values.push(i % 3 === 0 ? i : Math.floor(Math.random() * 2 ** (1 + (i % 53))));
  values.push(Number.MAX_SAFE_INTEGER, 0, 9, 10, 2 ** 32);
  const fd = openFile(file);
  const w = new ChunkWriter(fd.fd);
  for (const v of values) {
    w.uint(v);
    w.byte(0x2c);
  }
  w.flush();
  fd.close();
  assert.equal(readFileSync(file, 'latin1'), values.join(',') + ',');
});

function openFile(path: string): { fd: number; close(): void } {
  const fd = openSync(path, 'w');
  return { fd, close: () => closeSync(fd) };
}
