// The `strings` section of a .heapsnapshot, built while nodes and edges are written: each new
// string gets the next index and is appended, JSON-quoted, to a temporary file that the writer
// copies in last. Short strings (names, keys) are deduplicated; long ones (string contents) are
// not, so a heap of millions of distinct strings costs no memory here.
import type { ChunkWriter } from './chunk-writer.js';

/** Longest string looked up before a new index is given. */
const DEDUPE_LENGTH = 128;
/** Most strings remembered (beyond that, new strings are no longer deduplicated). */
const MAX_REMEMBERED = 1 << 21;

/** Role: interns strings into a strings section being written. */
export class StringTable {
  private readonly index = new Map<string, number>();
  private n = 0;

  constructor(private readonly out: ChunkWriter) {}

  /** Number of strings written. */
  get count(): number {
    return this.n;
  }

  /** The index of `text`, appending it when new. */
  intern(text: string): number {
    const short = text.length <= DEDUPE_LENGTH;
    if (short) {
      const i = this.index.get(text);
      if (i !== undefined) return i;
    }
    const i = this.n++;
    if (i > 0) this.out.ascii(',\n');
    this.out.utf8(JSON.stringify(text));
    if (short && this.index.size < MAX_REMEMBERED) this.index.set(text, i);
    return i;
  }
}
