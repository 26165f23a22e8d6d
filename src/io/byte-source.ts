// Positional, bounds-checked reads over a file, a buffer or /proc/PID/mem. Files are read in
// blocks through an LRU cache, never whole: cores reach tens of GB.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LruCache } from '../util/lru.js';
import { FileError, ReadFault } from '../util/errors.js';

/** Role: random-access bytes with a name for error messages. */
export interface ByteSource {
  readonly name: string;
  /** Total size in bytes (Infinity for sparse sources such as /proc/PID/mem). */
  readonly size: number;
  /** Reads exactly `length` bytes at `offset`; throws ReadFault when any byte is missing. */
  read(offset: number, length: number): Buffer;
  /**
   * Copies `length` bytes at `offset` into `target` at `targetOffset`, bypassing any cache (bulk
   * scans read each byte once); returns false when any byte is missing.
   */
  readInto(offset: number, target: Uint8Array, targetOffset: number, length: number): boolean;
  close(): void;
}

const BLOCK = 64 * 1024;

/** What to tell the user when open(2) failed with `code`. */
function openFailure(code: string | undefined): string {
  if (code === 'ENOENT') return 'no such file; check the path';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied; run as a user who may read it';
  if (code === 'ENOTDIR') return 'a folder on the path is a file; check the path';
  return `cannot be opened (${code ?? 'error'})`;
}

/** A file read in 64 KiB blocks through an LRU cache (default 64 MiB). */
export class FileByteSource implements ByteSource {
  readonly size: number;
  private fd: number;
  private readonly cache: LruCache<number, Buffer>;

  constructor(readonly name: string, cacheBytes = 64 * 1024 * 1024) {
    try {
      this.fd = openSync(name, 'r');
    } catch (e) {
      throw new FileError(name, openFailure((e as NodeJS.ErrnoException).code));
    }
    const st = fstatSync(this.fd);
    if (!st.isFile()) {
      closeSync(this.fd);
      throw new FileError(name, `is ${st.isDirectory() ? 'a folder' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file'}; give the path of a file`);
    }
    this.size = st.size;
    this.cache = new LruCache(Math.max(4, Math.floor(cacheBytes / BLOCK)));
  }

  read(offset: number, length: number): Buffer {
    if (offset < 0 || !Number.isSafeInteger(length) || length < 0 || offset + length > this.size || !Number.isSafeInteger(offset)) {
      throw new ReadFault(offset, length, this.name);
    }
    const first = Math.floor(offset / BLOCK);
    const last = Math.floor((offset + Math.max(length, 1) - 1) / BLOCK);
    if (first === last) {
      const b = this.block(first);
      const start = offset - first * BLOCK;
      return b.subarray(start, start + length);
    }
    if (length > 16 * BLOCK) return this.readDirect(offset, length);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    for (let i = first; i <= last; i++) {
      const b = this.block(i);
      const start = i === first ? offset - first * BLOCK : 0;
      const n = Math.min(b.length - start, length - done);
      b.copy(out, done, start, start + n);
      done += n;
    }
    return out;
  }

  private block(index: number): Buffer {
    let b = this.cache.get(index);
    if (b === undefined) {
      const start = index * BLOCK;
      b = this.readDirect(start, Math.min(BLOCK, this.size - start));
      this.cache.set(index, b);
    }
    return b;
  }

  private readDirect(offset: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    if (!this.readInto(offset, out, 0, length)) throw new ReadFault(offset, length, this.name);
    return out;
  }

  readInto(offset: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    if (offset < 0 || !Number.isSafeInteger(length) || length < 0 || offset + length > this.size || !Number.isSafeInteger(offset)) return false;
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, target, targetOffset + done, length - done, offset + done);
      if (n <= 0) return false;
      done += n;
    }
    return true;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** An in-memory source, for tests and small synthetic inputs. */
export class BufferByteSource implements ByteSource {
  readonly size: number;
  constructor(readonly name: string, private readonly data: Buffer) {
    this.size = data.length;
  }

  read(offset: number, length: number): Buffer {
    if (offset < 0 || !Number.isSafeInteger(length) || length < 0 || offset + length > this.size || !Number.isSafeInteger(offset)) {
      throw new ReadFault(offset, length, this.name);
    }
    return this.data.subarray(offset, offset + length);
  }

  readInto(offset: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    if (offset < 0 || !Number.isSafeInteger(length) || length < 0 || offset + length > this.size || !Number.isSafeInteger(offset)) return false;
    target.set(this.data.subarray(offset, offset + length), targetOffset);
    return true;
  }

  close(): void {}
}
