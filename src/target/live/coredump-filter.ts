// Reads and sets /proc/PID/coredump_filter, the bit mask that tells the kernel and gdb's gcore
// which kinds of mapping go into a core (Linux Documentation/filesystems/proc.rst, "coredump_filter").
import { readFileSync, writeFileSync } from 'node:fs';

/** Role: the mask with anonymous private+shared, file-backed private+shared, ELF headers, private huge pages. */
export const COREDUMP_FILTER_ALL = 0x3f;
/** Role: the kernel's default mask (anonymous private+shared, ELF headers, private huge pages). */
export const COREDUMP_FILTER_DEFAULT = 0x33;

/** Role: the current coredump_filter of PID, or undefined when it cannot be read. */
export function readCoredumpFilter(pid: number): number | undefined {
  try {
    const v = parseInt(readFileSync(`/proc/${pid}/coredump_filter`, 'latin1').trim(), 16);
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Role: sets the coredump_filter of PID; returns whether the write was accepted. */
export function writeCoredumpFilter(pid: number, mask: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/coredump_filter`, `0x${mask.toString(16)}\n`);
    return true;
  } catch {
    return false;
  }
}
