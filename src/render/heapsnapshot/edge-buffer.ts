// The edges of a snapshot held between the node pass and the edges section: type, name index and
// target ordinal in typed arrays of fixed-size chunks (9 bytes an edge, no copy as they grow).
const CHUNK = 1 << 20;

/** Role: an append-only list of edges in chunks. */
export class EdgeBuffer {
  private readonly types: Uint8Array[] = [];
  private readonly names: Uint32Array[] = [];
  private readonly targets: Uint32Array[] = [];
  private n = 0;

  /** Number of edges. */
  get count(): number {
    return this.n;
  }

  push(type: number, name: number, to: number): void {
    const c = this.n >>> 20;
    if (c === this.types.length) {
      this.types.push(new Uint8Array(CHUNK));
      this.names.push(new Uint32Array(CHUNK));
      this.targets.push(new Uint32Array(CHUNK));
    }
    const at = this.n & (CHUNK - 1);
    this.types[c]![at] = type;
    this.names[c]![at] = name;
    this.targets[c]![at] = to;
    this.n++;
  }

  /** Calls `fn` for every edge in order. */
  forEach(fn: (type: number, name: number, to: number) => void): void {
    for (let k = 0; k < this.n; k++) {
      const c = k >>> 20;
      const at = k & (CHUNK - 1);
      fn(this.types[c]![at]!, this.names[c]![at]!, this.targets[c]![at]!);
    }
  }
}
