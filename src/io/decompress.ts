// Compressed cores as systemd-coredump stores them (.zst, .xz, .lz4), streamed into a sparse
// scratch file that the core reader then opens like any core. Formats are told by their magic
// bytes: zstd through fzstd (pure JS), xz through xz-decompress (WASM), lz4 through the system's
// `lz4` tool (npm has no maintained pure-JS LZ4 frame decoder). Zero blocks become holes.
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { FormatError, TargetError } from '../util/errors.js';

/** Role: a compression format nodescope can stream. */
export type CoreCompression = 'zstd' | 'xz' | 'lz4';

const CHUNK = 1 << 20;
const BLOCK = 64 << 10;

/** The compression of a file from its first bytes, or undefined for anything else (a plain core). */
export function compressionOf(head: Uint8Array): CoreCompression | undefined {
  const is = (...m: number[]): boolean => m.every((b, i) => head[i] === b);
  if (is(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  if (is(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (is(0x04, 0x22, 0x4d, 0x18)) return 'lz4';
  return undefined;
}

/** Role: writes a stream of bytes to a file, leaving holes where whole blocks are zero. */
export class SparseWriter {
  private readonly fd: number;
  private at = 0;
  private pending = Buffer.alloc(0);

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  /** Appends `data`. */
  write(data: Uint8Array): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let off = 0;
    for (; off + BLOCK <= buf.length; off += BLOCK) this.block(buf.subarray(off, off + BLOCK));
    buf = buf.subarray(off);
    this.pending = Buffer.from(buf);
  }

  private block(b: Buffer): void {
    let zero = true;
    for (let i = 0; i < b.length && zero; i += 8) zero = b.readBigUInt64LE(i) === 0n;
    if (!zero) writeSync(this.fd, b, 0, b.length, this.at);
    this.at += b.length;
  }

  /** Writes what is left and sets the file's length (the holes at the end included); returns the length. */
  close(): number {
    if (this.pending.length > 0) writeSync(this.fd, this.pending, 0, this.pending.length, this.at);
    this.at += this.pending.length;
    ftruncateSync(this.fd, this.at);
    closeSync(this.fd);
    return this.at;
  }
}

async function zstd(src: string, out: SparseWriter): Promise<void> {
  // Loaded on first use: most runs never meet a compressed core.
  const { Decompress } = await import('fzstd');
  const fd = openSync(src, 'r');
  try {
    const d = new Decompress((chunk) => out.write(chunk));
    const buf = Buffer.alloc(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      d.push(buf.subarray(0, n), n === 0);
      if (n === 0) break;
    }
  } catch (e) {
    if (e instanceof Error && !(e instanceof TargetError)) throw new FormatError(src, `not a valid zstd stream (${e.message})`);
    throw e;
  } finally {
    closeSync(fd);
  }
}

async function xz(src: string, out: SparseWriter): Promise<void> {
  // xz-decompress is a CommonJS bundle: its exports come through the default import.
  const { XzReadableStream } = (await import('xz-decompress')).default as typeof import('xz-decompress');
  const input = Readable.toWeb(createReadStream(src, { highWaterMark: CHUNK })) as unknown as ReadableStream<Uint8Array>;
  try {
    const reader = (new XzReadableStream(input) as unknown as WebReadableStream<Uint8Array>).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out.write(r.value);
  } catch (e) {
    if (e instanceof Error) throw new FormatError(src, `not a valid xz stream (${e.message})`);
    throw e;
  }
}

async function lz4(src: string, out: SparseWriter): Promise<void> {
  const child = spawn('lz4', ['-dc', src], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  child.stdout.on('data', (d: Buffer) => out.write(d));
  let code: number | null;
  try {
    code = await done;
  } catch {
    throw new TargetError(`${src}: an lz4 core needs the lz4 tool on PATH (npm has no maintained pure-JS LZ4 frame decoder); or run: lz4 -d ${src}`, 'MISSING_TOOL');
  }
  if (code !== 0) throw new FormatError(src, `lz4 -d failed: ${stderr.trim().split('\n')[0] ?? code}`);
}

/** Streams the compressed core `src` into `dest` (sparse); returns the decompressed size. */
export async function decompressCore(src: string, dest: string, format: CoreCompression): Promise<number> {
  const out = new SparseWriter(dest);
  let size = 0;
  try {
    if (format === 'zstd') await zstd(src, out);
    else if (format === 'xz') await xz(src, out);
    else await lz4(src, out);
  } finally {
    size = out.close();
  }
  return size;
}
