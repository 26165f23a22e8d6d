// Copies a file leaving all-zero blocks as holes. gdb's gcore writes every byte of reserved but
// untouched mappings (hundreds of MB of zeros for a V8 process); the copy keeps only data.
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

const BLOCK = 1 << 20;

/** Role: copies `from` to `to` (created or truncated) sparsely; returns the size in bytes. */
export function copySparse(from: string, to: string): number {
  const input = openSync(from, 'r');
  let output: number | undefined;
  try {
    output = openSync(to, 'w');
    const buf = Buffer.alloc(BLOCK);
    const zero = Buffer.alloc(BLOCK);
    let position = 0;
    for (;;) {
      const n = readSync(input, buf, 0, BLOCK, position);
      if (n === 0) break;
      const chunk = n === BLOCK ? buf : buf.subarray(0, n);
      const empty = n === BLOCK ? chunk.equals(zero) : chunk.equals(zero.subarray(0, n));
      if (!empty) writeSync(output, chunk, 0, n, position);
      position += n;
    }
    ftruncateSync(output, position);
    return position;
  } finally {
    closeSync(input);
    if (output !== undefined) closeSync(output);
  }
}
