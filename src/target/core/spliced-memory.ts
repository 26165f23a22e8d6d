// A core's address space: PT_LOAD bytes from the core, laid over the files named in NT_FILE so
// that pages the core omits (read-only text and data of the node binary and libraries) come from
// the files on disk, as Delve's SplicedMemory does. Reads never touch unbacked ranges.
import { FileByteSource, type ByteSource } from '../../io/byte-source.js';
import { ReadFault, isNodescopeError } from '../../util/errors.js';
import type { AddressSpace, Mapping } from '../address-space.js';

/** A virtual range backed by a byte range of some source. */
export interface Piece {
  readonly start: number;
  readonly end: number;
  /** Offset of `start` within the source. */
  readonly offset: number;
  /** Key of the source: '' for the core itself, else a file path. */
  readonly source: string;
}

/** Sorted, non-overlapping pieces with binary-search lookup. */
class PieceIndex {
  private readonly starts: number[];
  constructor(private readonly pieces: Piece[]) {
    pieces.sort((a, b) => a.start - b.start);
    this.starts = pieces.map((p) => p.start);
  }

  find(address: number): Piece | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    const p = hi >= 0 ? this.pieces[hi] : undefined;
    return p && address < p.end ? p : undefined;
  }
}

/** Role: AddressSpace of a core, with file-backed fallback for omitted pages. */
export class SplicedMemory implements AddressSpace {
  private readonly coreIndex: PieceIndex;
  private readonly fileIndex: PieceIndex;
  private readonly files = new Map<string, ByteSource | null>();

  constructor(
    private readonly core: ByteSource,
    corePieces: Piece[],
    filePieces: Piece[],
    private readonly maps: readonly Mapping[],
    /** Maps a path seen by the target to the path to open here (for --binary). */
    private readonly resolvePath: (path: string) => string = (p) => p,
  ) {
    this.coreIndex = new PieceIndex(corePieces);
    this.fileIndex = new PieceIndex(filePieces);
  }

  read(address: number, length: number): Buffer {
    const r = this.readOrFault(address, length);
    if (typeof r === 'number') throw new ReadFault(r, length - (r - address));
    return r;
  }

  tryRead(address: number, length: number): Buffer | undefined {
    const r = this.readOrFault(address, length);
    return typeof r === 'number' ? undefined : r;
  }

  isMapped(address: number, length = 1): boolean {
    return typeof this.readOrFault(address, length) !== 'number';
  }

  readInto(address: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    if (!Number.isSafeInteger(address) || address < 0 || !Number.isSafeInteger(length) || length < 0) return false;
    let done = 0;
    while (done < length) {
      const at = address + done;
      const p = this.coreIndex.find(at) ?? this.fileIndex.find(at);
      if (!p) return false;
      const n = Math.min(length - done, p.end - at);
      const src = p.source === '' ? this.core : this.file(p.source);
      if (!src || !src.readInto(p.offset + (at - p.start), target, targetOffset + done, n)) return false;
      done += n;
    }
    return true;
  }

  mappings(): readonly Mapping[] {
    return this.maps;
  }

  /** Returns the bytes, or the first unreadable address. */
  private readOrFault(address: number, length: number): Buffer | number {
    if (!Number.isSafeInteger(address) || address < 0 || !Number.isSafeInteger(length) || length < 0 || length > 0x40000000) return address;
    const first = this.chunk(address, length);
    if (first === undefined) return address;
    if (first.length === length) return first;
    const out = Buffer.allocUnsafe(length);
    first.copy(out, 0);
    let done = first.length;
    while (done < length) {
      const c = this.chunk(address + done, length - done);
      if (c === undefined) return address + done;
      c.copy(out, done);
      done += c.length;
    }
    return out;
  }

  /** Up to `length` bytes at `address` from one piece, or undefined when unbacked. */
  private chunk(address: number, length: number): Buffer | undefined {
    const p = this.coreIndex.find(address) ?? this.fileIndex.find(address);
    if (!p) return undefined;
    const n = Math.min(length, p.end - address);
    const src = p.source === '' ? this.core : this.file(p.source);
    if (!src) return undefined;
    const off = p.offset + (address - p.start);
    if (off + n > src.size) return undefined;
    return src.read(off, n);
  }

  private file(path: string): ByteSource | null {
    let f = this.files.get(path);
    if (f === undefined) {
      try {
        f = new FileByteSource(this.resolvePath(path), 16 * 1024 * 1024);
      } catch (e) {
        // A mapped file that is gone or unreadable (FileError): its pages read as absent.
        if (!isNodescopeError(e)) throw e;
        f = null;
      }
      this.files.set(path, f);
    }
    return f;
  }

  /** Closes the files opened for fallback reads. */
  close(): void {
    for (const f of this.files.values()) f?.close();
    this.files.clear();
  }
}
