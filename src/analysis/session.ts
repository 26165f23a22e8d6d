// One debugging session over one target: the target plus everything derived from it once and
// then shared by every query (the node binary's ELF, the V8 layout, symbol indexes, heap caches).
// Heavy state lives here, never in module scope.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileByteSource } from '../io/byte-source.js';
import { snapshotProcess } from '../target/live/snapshot-process.js';
import { scratchDirFor } from '../target/live/scratch-space.js';
import { ElfFile, type ElfSymbol } from '../elf/elf-file.js';
import type { LayoutBinary } from '../v8/layout/layout-binary.js';
import { openCore, type CoreTarget, type OpenCoreOptions } from '../target/core/core-target.js';
import { loadV8Layout, type V8Layout } from '../v8/layout/v8-layout.js';
import { FormatError, NodescopeError, TargetError } from '../util/errors.js';

/** Role: a loaded core (or snapshot of a live process) and its lazily built indexes. */
export class Session {
  private elf: ElfFile | undefined;
  private layoutCache: V8Layout | undefined;
  private readonly cleanups: (() => void)[] = [];
  /** Per-session memo tables for higher layers, keyed by their owner's name. */
  readonly memo = new Map<string, unknown>();

  constructor(readonly target: CoreTarget) {}

  /** Opens a core file. */
  static openCore(path: string, opts: OpenCoreOptions = {}): Session {
    return new Session(openCore(path, opts));
  }

  /** Thread names known from outside the core (live: /proc/PID/task/TID/comm). */
  readonly threadNames = new Map<number, string>();

  /**
   * Snapshots a live process to a temporary core (the process keeps running), and opens it;
   * the core is deleted when the session closes.
   */
  static async openProcess(pid: number): Promise<Session> {
    const dir = mkdtempSync(join(tmpdir(), 'nodescope-'));
    const names = readThreadNames(pid);
    try {
      const scratchDir = scratchDirFor(pid);
      const { corePath } = await snapshotProcess(pid, join(dir, `core.${pid}`), scratchDir ? { scratchDir } : { sparse: false });
      const s = Session.openCore(corePath);
      for (const [tid, name] of names) s.threadNames.set(tid, tid === pid ? 'main' : name);
      s.onClose(() => rmSync(dir, { recursive: true, force: true }));
      return s;
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Registers work to run at close (e.g. deleting a temporary snapshot). */
  onClose(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** The node executable as an ELF file (the --binary override when given). */
  binary(): ElfFile {
    if (!this.elf) this.elf = ElfFile.open(new FileByteSource(this.target.binaryPath, 32 * 1024 * 1024));
    return this.elf;
  }

  /**
   * The node binary's symbols that the V8 model reads (metadata, embedded builtins, V8 statics),
   * found in one scan of its symbol tables and kept for the session.
   */
  v8Symbols(): readonly ElfSymbol[] {
    return this.memoFor('v8-symbols', () => this.binary().symbolsWithPrefix(V8_SYMBOL_PREFIXES));
  }

  /** Load bias of the node executable in the target. */
  binaryBias(): number {
    const m = this.target.modules.find((x) => x.path === this.target.executablePath);
    return m?.bias ?? 0;
  }

  /** The V8 layout from the binary's metadata; throws a clear error for non-Node targets. */
  layout(): V8Layout {
    if (!this.layoutCache) {
      try {
        this.layoutCache = loadV8Layout(metadataView(this.binary(), this.v8Symbols()), this.target.space, this.binaryBias(), { binaryName: this.target.binaryPath });
      } catch (e) {
        if (e instanceof FormatError && /no V8 postmortem metadata/.test(e.message)) {
          throw new TargetError(`${this.target.name}: not a Node process core (${this.target.binaryPath} carries no V8 metadata)`);
        }
        throw e;
      }
    }
    return this.layoutCache;
  }

  /** Returns a memo table owned by `owner`, creating it with `make` on first use. */
  memoFor<T>(owner: string, make: () => T): T {
    let v = this.memo.get(owner) as T | undefined;
    if (v === undefined) {
      v = make();
      this.memo.set(owner, v);
    }
    return v;
  }

  close(): void {
    this.target.close();
    this.elf?.source.close();
    for (const fn of this.cleanups.splice(0)) {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof NodescopeError)) throw e;
      }
    }
  }
}

/** Prefixes of every symbol the V8 layout loader reads (metadata and V8's version statics). */
const METADATA_PREFIXES = ['v8dbg_', 'nodedbg_', '_ZN2v88internal7Version'];
/** Name prefixes of the node binary's symbols that the V8 model uses (one scan finds them all). */
const V8_SYMBOL_PREFIXES = [...METADATA_PREFIXES, 'Builtins_', '_ZN2v88internal11interpreter9Bytecodes'];

/**
 * The node binary as the layout loader sees it, with only the metadata symbols: decoding all of
 * a node binary's 190k symbol names costs more than the rest of loading a core.
 */
function metadataView(elf: ElfFile, symbols: readonly ElfSymbol[]): LayoutBinary {
  const syms = symbols.filter((s) => METADATA_PREFIXES.some((p) => s.name.startsWith(p)));
  return {
    symbols: () => syms,
    sections: () => elf.sections(),
    readVaddr: (vaddr, length) => elf.readVaddr(vaddr, length),
  };
}

function readThreadNames(pid: number): Map<number, string> {
  const out = new Map<number, string>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        out.set(Number(tid), readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
      } catch {
        // The thread exited meanwhile.
      }
    }
  } catch {
    // No such process: the snapshot reports it with a clear error.
  }
  return out;
}
