// Buffered, synchronous output to one file descriptor in 1 MiB chunks: ASCII text, whole numbers
// as decimal digits written byte by byte (no string per number) and JSON strings. What streams a
// multi-gigabyte .heapsnapshot without ever holding more than one chunk of it.
import { writeSync } from 'node:fs';

const CHUNK = 1 << 20;
/** Room kept free at the end of a chunk for one number or a short text. */
const SLACK = 64;

/** Role: appends bytes to a file through one reused chunk buffer. */
export class ChunkWriter {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private written = 0;

  constructor(private readonly fd: number) {}

  /** Bytes handed to this writer so far. */
  get bytes(): number {
    return this.written + this.pos;
  }

  /** Appends ASCII (or Latin-1) text. */
  ascii(text: string): void {
    if (text.length > CHUNK - SLACK) {
      this.flush();
      writeSync(this.fd, Buffer.from(text, 'latin1'));
      this.written += text.length;
      return;
    }
    if (this.pos + text.length > CHUNK) this.flush();
    this.pos += this.buf.write(text, this.pos, 'latin1');
  }

  /** Appends text as UTF-8 (JSON string literals). */
  utf8(text: string): void {
    if (text.length * 3 > CHUNK - SLACK) {
      this.flush();
      const b = Buffer.from(text, 'utf8');
      writeSync(this.fd, b);
      this.written += b.length;
      return;
    }
    if (this.pos + text.length * 3 > CHUNK) this.flush();
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** Appends one byte (a separator). */
  byte(c: number): void {
    if (this.pos >= CHUNK) this.flush();
    this.buf[this.pos++] = c;
  }

  /** Appends a whole number 0 ≤ n < 2^53 in decimal. */
  uint(n: number): void {
    if (this.pos + 20 > CHUNK) this.flush();
    const b = this.buf;
    if (n < 10) {
      b[this.pos++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
    let at = this.pos + digits;
    this.pos = at;
    let v = n;
    while (v >= 10) {
      const q = Math.floor(v / 10);
      b[--at] = 48 + (v - q * 10);
      v = q;
    }
    b[--at] = 48 + v;
  }

  /** Writes out what is buffered. */
  flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.written += this.pos;
    this.pos = 0;
  }
}
