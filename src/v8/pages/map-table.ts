// Dense ids for the Maps a heap walk meets: a map is validated once (its map is the meta map,
// whose own map is itself and whose type is MAP_TYPE) and then known by a small integer, with its
// instance type and instance size in typed arrays. Non-maps are remembered too, so a word that
// is not a map costs one lookup the second time.
import type { V8Heap } from '../heap/v8-heap.js';

/** Most non-map addresses remembered. */
const MAX_NEGATIVE = 1 << 20;

/** Role: the validated maps of one heap, by dense id. */
export class MapTable {
  private readonly ids = new Map<number, number>();
  private readonly negative = new Set<number>();
  private addresses = new Float64Array(1024);
  private typesArr = new Uint16Array(1024);
  private sizesArr = new Uint32Array(1024);
  private n = 0;
  private readonly sizeAt: number | undefined;

  constructor(private readonly heap: V8Heap) {
    this.sizeAt = heap.layout.opt.Map_instance_size_in_words;
  }

  /** Number of maps seen. */
  get count(): number {
    return this.n;
  }

  /** Id of the map at `address`, or -1 when it is not a map. */
  idOf(address: number): number {
    const id = this.ids.get(address);
    if (id !== undefined) return id;
    if (this.negative.has(address)) return -1;
    const type = this.heap.mapType(address);
    if (type === undefined) {
      if (this.negative.size >= MAX_NEGATIVE) this.negative.clear();
      this.negative.add(address);
      return -1;
    }
    const words = this.sizeAt === undefined ? 0 : (this.heap.uint(address + this.sizeAt, 1) ?? 0);
    return this.add(address, type, words * 8);
  }

  /** Address of map `id`. */
  address(id: number): number {
    return this.addresses[id]!;
  }

  /** Instance type of map `id`. */
  type(id: number): number {
    return this.typesArr[id]!;
  }

  /** Map::instance_size of map `id` in bytes (0 for variable-size classes). */
  instanceSize(id: number): number {
    return this.sizesArr[id]!;
  }

  private add(address: number, type: number, size: number): number {
    if (this.n === this.addresses.length) {
      this.addresses = grow(this.addresses, new Float64Array(this.n * 2));
      this.typesArr = grow(this.typesArr, new Uint16Array(this.n * 2));
      this.sizesArr = grow(this.sizesArr, new Uint32Array(this.n * 2));
    }
    const id = this.n++;
    this.addresses[id] = address;
    this.typesArr[id] = type;
    this.sizesArr[id] = size;
    this.ids.set(address, id);
    return id;
  }
}

function grow<T extends Float64Array | Uint16Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
