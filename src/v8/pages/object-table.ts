// Every object of a heap walk in typed arrays, in address order: address, size and map id by
// dense object index, and per page the first index, so an address finds its object by binary
// search inside one page. Built once per session (the census, references and paths index it).
import type { HeapWalker, WalkCoverage, WalkGap } from './heap-walk.js';

/** Role: receives each object as it is added (the census groups it in the same pass). */
export type TableVisitor = (index: number, address: number, mapId: number, size: number) => void;

/** Role: the objects of one heap, by dense index in address order. */
export class ObjectTable {
  private addr: Float64Array;
  private sizeArr: Uint32Array;
  private mapArr: Uint32Array;
  private n = 0;
  /** First object index of each page (length pages + 1). */
  readonly pageFirst: Int32Array;
  readonly coverage: WalkCoverage;

  constructor(readonly walker: HeapWalker, visit?: TableVisitor, onPage?: (done: number, total: number) => void, onGap?: (gap: WalkGap) => void) {
    const pages = walker.pages.pages.length;
    this.pageFirst = new Int32Array(pages + 1);
    // One object per 128 bytes of heap is a typical density: the arrays rarely grow.
    let area = 0;
    for (const p of walker.pages.pages) area += p.areaEnd - p.areaStart;
    const cap = Math.max(1 << 16, Math.floor(area / 128));
    this.addr = new Float64Array(cap);
    this.sizeArr = new Uint32Array(cap);
    this.mapArr = new Uint32Array(cap);
    let lastPage = -1;
    this.coverage = walker.walk(
      (address, mapId, size, page) => {
        while (lastPage < page) this.pageFirst[++lastPage] = this.n;
        const i = this.push(address, mapId, size);
        visit?.(i, address, mapId, size);
      },
      onPage,
      onGap,
    );
    while (lastPage < pages) this.pageFirst[++lastPage] = this.n;
    this.addr = this.addr.slice(0, this.n);
    this.sizeArr = this.sizeArr.slice(0, this.n);
    this.mapArr = this.mapArr.slice(0, this.n);
  }

  /** Number of objects. */
  get count(): number {
    return this.n;
  }

  /** Address of object `i`. */
  address(i: number): number {
    return this.addr[i]!;
  }

  /** Size in bytes of object `i`. */
  size(i: number): number {
    return this.sizeArr[i]!;
  }

  /** Map id (in the walker's MapTable) of object `i`. */
  mapId(i: number): number {
    return this.mapArr[i]!;
  }

  /** Instance type of object `i`. */
  type(i: number): number {
    return this.walker.maps.type(this.mapArr[i]!);
  }

  /** Index of the object that starts at `address`, or -1. */
  indexOf(address: number): number {
    const pi = this.walker.pages.indexOf(address);
    if (pi < 0) return -1;
    let lo = this.pageFirst[pi]!;
    let hi = this.pageFirst[pi + 1]! - 1;
    const a = this.addr;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid]!;
      if (v < address) lo = mid + 1;
      else if (v > address) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /** Index of the object whose bytes hold `address` (start or inside), or -1. */
  containing(address: number): number {
    const pi = this.walker.pages.indexOf(address);
    if (pi < 0) return -1;
    let lo = this.pageFirst[pi]!;
    let hi = this.pageFirst[pi + 1]! - 1;
    const a = this.addr;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! <= address) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best >= 0 && address < a[best]! + this.sizeArr[best]! ? best : -1;
  }

  private push(address: number, mapId: number, size: number): number {
    if (this.n === this.addr.length) {
      const cap = this.n * 2;
      this.addr = copyInto(this.addr, new Float64Array(cap));
      this.sizeArr = copyInto(this.sizeArr, new Uint32Array(cap));
      this.mapArr = copyInto(this.mapArr, new Uint32Array(cap));
    }
    const i = this.n++;
    this.addr[i] = address;
    this.sizeArr[i] = size;
    this.mapArr[i] = mapId;
    return i;
  }
}

function copyInto<T extends Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
