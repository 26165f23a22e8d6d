// What every backend (core file, live process) exposes: memory, threads with registers, and the
// modules mapped into the process. Analyses see only this interface.
import type { AddressSpace } from './address-space.js';

/** x86-64 general registers of one thread, as in the kernel's user_regs_struct (NT_PRSTATUS). */
export interface Registers {
  readonly rip: number;
  readonly rsp: number;
  readonly rbp: number;
  /** All registers by their user_regs_struct name (r15 … gs), as bigint. */
  readonly all: Readonly<Record<string, bigint>>;
}

/** One thread of the target. */
export interface Thread {
  readonly tid: number;
  /** Thread name when known (live: /proc/PID/task/TID/comm). */
  readonly name?: string;
  readonly regs: Registers;
  /** Signal that stopped this thread, when the core records one. */
  readonly signal?: number;
}

/** A file mapped into the target (an executable or shared library), with its lowest mapping. */
export interface MappedModule {
  readonly path: string;
  /** Lowest virtual address of any mapping of the file. */
  readonly start: number;
  /** End of its highest mapping. */
  readonly end: number;
  /** Load bias: virtual address minus ELF virtual address (0 for non-PIE executables). */
  readonly bias: number;
  /** GNU build-id in hex, when known. */
  readonly buildId?: string;
}

/** Role: a process to inspect, frozen in a core or read live. */
export interface Target {
  /** Human name for messages (`core.12345`, `pid 12345`). */
  readonly name: string;
  readonly pid: number;
  readonly space: AddressSpace;
  readonly threads: readonly Thread[];
  readonly modules: readonly MappedModule[];
  /** Path of the main executable as the target saw it. */
  readonly executablePath: string;
  /** Auxiliary vector entries (AT_* → value) when known. */
  readonly auxv: ReadonlyMap<number, number>;
  close(): void;
}

/** Role: a Target a Session can analyse: it names the node binary to read and what to warn about. */
export interface SessionTarget extends Target {
  /** Where the node executable is read from here (a --binary override, a core's path, /proc/PID/exe). */
  readonly binaryPath: string;
  /** What the user should know once about this target (a truncated core, say). */
  readonly warnings: readonly string[];
  /** The signal that ended the process (a core's NT_SIGINFO); undefined for a live process. */
  readonly signal: number | undefined;
  /** The command line (a core's NT_PRPSINFO psargs, /proc/PID/cmdline live). */
  readonly commandLine: string;
}
