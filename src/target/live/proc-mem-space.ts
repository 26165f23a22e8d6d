// A minimal AddressSpace over a running process's /proc/PID/mem and /proc/PID/maps, for reading
// V8 heap objects while the process runs (reads race with the mutator; callers validate). Used by
// kernel-mode profiling; needs ptrace access (root or same user).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { findMapping, type AddressSpace, type Mapping } from '../address-space.js';
import { ReadFault, TargetError } from '../../util/errors.js';

const MAX_READ = 64 * 1024 * 1024;

/**
 * Role: parses /proc/PID/maps text into sorted mappings (addresses above 2^53 are skipped). Only
 * files get a path: `[heap]`, `[stack]`, `[anon:…]` and the like are anonymous memory, as in a
 * core (whose NT_FILE lists files only).
 */
export function parseProcMaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) ([r-])([w-])([x-])[ps] ([0-9a-f]+) \S+ \d+\s*(.*)$/.exec(line);
    if (!m) continue;
    const start = parseInt(m[1]!, 16), end = parseInt(m[2]!, 16);
    if (!Number.isSafeInteger(end)) continue;
    const path = m[7]!.trim();
    const isFile = path !== '' && !path.startsWith('[');
    out.push({ start, end, readable: m[3] === 'r', writable: m[4] === 'w', executable: m[5] === 'x', ...(isFile ? { path, fileOffset: parseInt(m[6]!, 16) } : {}) });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Role: AddressSpace of a live process through /proc/PID/mem. */
export class ProcMemSpace implements AddressSpace {
  private readonly fd: number;
  private maps: Mapping[];

  constructor(readonly pid: number) {
    try {
      this.fd = openSync(`/proc/${pid}/mem`, 'r');
      this.maps = parseProcMaps(readFileSync(`/proc/${pid}/maps`, 'latin1'));
    } catch (e) {
      throw new TargetError(`cannot read the memory of process ${pid} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  /** Re-reads /proc/PID/maps (the heap grows and shrinks while the process runs). */
  refresh(): void {
    try {
      this.maps = parseProcMaps(readFileSync(`/proc/${this.pid}/maps`, 'latin1'));
    } catch {
      // The process went away; reads will fault.
    }
  }

  read(address: number, length: number): Buffer {
    const b = this.tryRead(address, length);
    if (b === undefined) throw new ReadFault(address, length, `process ${this.pid}`);
    return b;
  }

  tryRead(address: number, length: number): Buffer | undefined {
    if (!Number.isSafeInteger(address) || address < 0 || !Number.isSafeInteger(length) || length < 0 || length > MAX_READ) return undefined;
    const buf = Buffer.alloc(length);
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(this.fd, buf, done, length - done, address + done);
        if (n <= 0) return undefined;
        done += n;
      }
      return buf;
    } catch {
      return undefined;
    }
  }

  readInto(address: number, target: Uint8Array, targetOffset: number, length: number): boolean {
    if (!Number.isSafeInteger(address) || address < 0 || !Number.isSafeInteger(length) || length < 0) return false;
    try {
      let done = 0;
      while (done < length) {
        const n = readSync(this.fd, target, targetOffset + done, length - done, address + done);
        if (n <= 0) return false;
        done += n;
      }
      return true;
    } catch {
      // EIO: the range is not mapped (or went away meanwhile).
      return false;
    }
  }

  isMapped(address: number, length = 1): boolean {
    const m = findMapping(this.maps, address);
    return m !== undefined && m.readable && address + length <= m.end;
  }

  mappings(): readonly Mapping[] {
    return this.maps;
  }

  close(): void {
    try { closeSync(this.fd); } catch { /* already closed */ }
  }
}
