// Reads a .heapsnapshot file (V8's or ours) into a small graph for the tests: nodes and edges by
// the file's own meta, each node's edges, and a breadth-first retaining path from the root as
// DevTools finds it (weak edges skipped, shortcut edges followed only from the root).
import { readFileSync } from 'node:fs';

/** Role: one edge as the tests compare it. */
export interface FileEdge {
  readonly type: string;
  /** The name, or the index of element and hidden edges. */
  readonly name: string | number;
  readonly to: number;
}

/** Role: a parsed .heapsnapshot. */
export class SnapshotFile {
  readonly raw: { snapshot: { meta: Record<string, unknown>; node_count: number; edge_count: number; extra_native_bytes?: number }; nodes: number[]; edges: number[]; strings: string[]; locations: number[] };
  readonly nodeFields: string[];
  readonly nodeTypes: string[];
  readonly edgeTypes: string[];
  readonly count: number;
  private readonly first: Uint32Array;
  private readonly f: Record<string, number>;

  constructor(path: string) {
    this.raw = JSON.parse(readFileSync(path, 'utf8')) as SnapshotFile['raw'];
    const meta = this.raw.snapshot.meta as { node_fields: string[]; node_types: [string[]]; edge_types: [string[]] };
    this.nodeFields = meta.node_fields;
    this.nodeTypes = meta.node_types[0];
    this.edgeTypes = meta.edge_types[0];
    this.f = Object.fromEntries(this.nodeFields.map((n, i) => [n, i]));
    this.count = this.raw.nodes.length / this.nodeFields.length;
    this.first = new Uint32Array(this.count + 1);
    for (let i = 0, e = 0; i < this.count; i++) {
      this.first[i] = e;
      e += this.field(i, 'edge_count');
    }
    this.first[this.count] = this.raw.edges.length / 3;
  }

  field(i: number, name: string): number {
    return this.raw.nodes[i * this.nodeFields.length + this.f[name]!]!;
  }

  type(i: number): string {
    return this.nodeTypes[this.field(i, 'type')]!;
  }

  name(i: number): string {
    return this.raw.strings[this.field(i, 'name')]!;
  }

  size(i: number): number {
    return this.field(i, 'self_size');
  }

  id(i: number): number {
    return this.field(i, 'id');
  }

  edges(i: number): FileEdge[] {
    const out: FileEdge[] = [];
    const e = this.raw.edges;
    for (let k = this.first[i]!; k < this.first[i + 1]!; k++) {
      const type = this.edgeTypes[e[k * 3]!]!;
      const n = e[k * 3 + 1]!;
      out.push({ type, name: type === 'element' || type === 'hidden' ? n : this.raw.strings[n]!, to: e[k * 3 + 2]! / this.nodeFields.length });
    }
    return out;
  }

  /** Nodes of `type` named `name`. */
  find(type: string, name: string): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i++) if (this.type(i) === type && this.name(i) === name) out.push(i);
    return out;
  }

  /** Node counts by `type:name`. */
  countsByName(): Map<string, number> {
    const m = new Map<string, number>();
    for (let i = 0; i < this.count; i++) {
      const k = `${this.type(i)}:${this.name(i)}`;
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  }

  /** One shortest retaining path from the root to `target`, as `type:name -edge-> …` steps. */
  retainingPath(target: number): string[] {
    const parent = new Int32Array(this.count).fill(-2);
    const via: FileEdge[] = new Array<FileEdge>(this.count);
    parent[0] = -1;
    let queue = [0];
    while (queue.length > 0 && parent[target] === -2) {
      const next: number[] = [];
      for (const i of queue) {
        for (const e of this.edges(i)) {
          if (e.type === 'weak' || (e.type === 'shortcut' && i !== 0) || parent[e.to] !== -2) continue;
          parent[e.to] = i;
          via[e.to] = e;
          next.push(e.to);
        }
      }
      queue = next;
    }
    const steps: string[] = [];
    for (let j = target; parent[j]! >= 0; j = parent[j]!) steps.push(`${this.type(parent[j]!)}:${this.name(parent[j]!)} -${via[j]!.type}:${via[j]!.name}->`);
    return steps.reverse();
  }
}
