// A running process as a Target: memory through /proc/PID/mem, mappings and modules from
// /proc/PID/maps (biases and build-ids as for a core's NT_FILE), the auxv from /proc/PID/auxv.
// Threads exist only while the process is frozen (ProcessFreeze): their registers are what a
// stack walk starts from. Reads race with the running process otherwise; callers freeze first.
import { readFileSync } from 'node:fs';
import type { FileMapping } from '../../elf/core-notes.js';
import { parseAuxv } from '../../elf/core-notes.js';
import type { MappedModule, SessionTarget, Thread } from '../target.js';
import { moduleIdentity } from '../core/module-identity.js';
import { ProcMemSpace } from './proc-mem-space.js';
import { checkLiveProcess, type LiveProcess } from './live-process-check.js';

/** Role: a live Node process, read in place. */
export class LiveTarget implements SessionTarget {
  readonly name: string;
  readonly space: ProcMemSpace;
  readonly modules: readonly MappedModule[];
  readonly executablePath: string;
  readonly binaryPath: string;
  readonly auxv: ReadonlyMap<number, number>;
  readonly warnings: readonly string[] = [];
  private frozen: readonly Thread[] = [];

  readonly pid: number;
  /** A running process ended by no signal. */
  readonly signal: number | undefined = undefined;
  readonly commandLine: string;

  private constructor(
    /** What /proc said of the process when it was opened. */
    readonly process: LiveProcess,
    space: ProcMemSpace,
    modules: readonly MappedModule[],
    auxv: ReadonlyMap<number, number>,
  ) {
    const pid = process.pid;
    const exe = process.exe;
    this.pid = pid;
    this.name = `pid ${pid}`;
    this.commandLine = process.cmdline.join(' ');
    this.space = space;
    this.modules = modules;
    this.executablePath = exe;
    // /proc/PID/exe opens the running binary even when it was replaced or deleted on disk.
    this.binaryPath = `/proc/${pid}/exe`;
    this.auxv = auxv;
  }

  /** Opens PID (checked to be a live process we may read; Session decides it is Node); no thread is stopped. */
  static open(pid: number): LiveTarget {
    const info = checkLiveProcess(pid);
    const space = new ProcMemSpace(pid);
    const files: FileMapping[] = [];
    for (const m of space.mappings()) {
      if (m.path === undefined || m.path.startsWith('[') || m.path.startsWith('anon_inode:') || m.path.startsWith('/dev/') || m.path.startsWith('/memfd:')) continue;
      files.push({ start: m.start, end: m.end, fileOffset: m.fileOffset ?? 0, path: m.path.replace(/ \(deleted\)$/, '') });
    }
    const exe = info.exe;
    const resolvePath = (p: string): string => (p === exe ? `/proc/${pid}/exe` : p);
    const { modules } = moduleIdentity(files, resolvePath, space);
    let auxv = new Map<number, number>();
    try {
      auxv = parseAuxv(readFileSync(`/proc/${pid}/auxv`));
    } catch {
      // Without the auxv the executable is found by its path; nothing else needs it.
    }
    return new LiveTarget(info, space, modules.map(({ coreBuildId: _c, ...m }) => m), auxv);
  }

  /** The threads as last frozen (empty while the process runs). */
  get threads(): readonly Thread[] {
    return this.frozen;
  }

  /** Sets the threads a freeze read (the process is stopped until the freeze ends). */
  setThreads(threads: readonly Thread[]): void {
    this.frozen = threads;
  }

  close(): void {
    this.space.close();
  }
}
