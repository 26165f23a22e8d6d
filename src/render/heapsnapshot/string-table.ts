// The `strings` section of a .heapsnapshot, built while nodes and edges are pulled: each new
// string gets the next index. Short strings (names, keys, decimal indexes) are deduplicated; a
// string node's contents are not even held: the source names it again when the section is written
// last, so a heap of millions of distinct strings costs one number each here.
import type { ChunkWriter } from './chunk-writer.js';

/** Longest string looked up before a new index is given. */
const DEDUPE_LENGTH = 128;
/** Most strings remembered (beyond that, new strings are no longer deduplicated). */
const MAX_REMEMBERED = 1 << 21;
/** Decimal names cached by value (`internal` edges of arrays are named "0", "1" …). */
const NUMBER_NAMES = 1 << 20;

/** Role: interns strings into a strings section written at the end. */
export class StringTable {
  private readonly index = new Map<string, number>();
  private readonly numbers = new Int32Array(NUMBER_NAMES).fill(-1);
  /** Per index: the text, or the key the source names it by later. */
  private readonly entries: (string | number)[] = [];

  /** Number of strings. */
  get count(): number {
    return this.entries.length;
  }

  /** The index of `text`, adding it when new. */
  intern(text: string): number {
    const short = text.length <= DEDUPE_LENGTH;
    if (short) {
      const i = this.index.get(text);
      if (i !== undefined) return i;
    }
    const i = this.entries.length;
    this.entries.push(text);
    if (short && this.index.size < MAX_REMEMBERED) this.index.set(text, i);
    return i;
  }

  /** The index of the decimal name of `n`. */
  internNumber(n: number): number {
    if (n >= NUMBER_NAMES) return this.intern(String(n));
    let i = this.numbers[n]!;
    if (i < 0) {
      i = this.intern(String(n));
      this.numbers[n] = i;
    }
    return i;
  }

  /** A new index for a string the source names later by `key`. */
  later(key: number): number {
    this.entries.push(key);
    return this.entries.length - 1;
  }

  /** Writes every string, JSON-quoted and comma-separated, naming the later ones through `nameLater`. */
  writeTo(out: ChunkWriter, nameLater: (key: number) => string): void {
    const e = this.entries;
    for (let i = 0; i < e.length; i++) {
      if (i > 0) out.ascii(',\n');
      const v = e[i]!;
      out.utf8(JSON.stringify(typeof v === 'string' ? v : nameLater(v)));
    }
  }
}
