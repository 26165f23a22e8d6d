// A small LRU map used for block caches and per-session memo tables. Not thread-safe (no need).

/** Bounded map that evicts the least recently used entry past `capacity`. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  private lastKey: K | undefined;
  private lastValue: V | undefined;
  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    // Repeated hits on the newest entry (sequential reads of one block) skip the reordering.
    if (key === this.lastKey && this.lastValue !== undefined) return this.lastValue;
    const v = this.map.get(key);
    if (v !== undefined) {
      this.lastKey = key;
      this.lastValue = v;
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    this.lastKey = key;
    this.lastValue = value;
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      this.map.delete(oldest);
      if (oldest === this.lastKey) this.lastKey = this.lastValue = undefined;
    }
  }

  get size(): number {
    return this.map.size;
  }
}
