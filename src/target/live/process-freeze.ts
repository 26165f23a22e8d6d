// Stops a live process for as long as a consistent picture needs, and no longer: gdb (started
// beforehand, with no symbols to load) attaches, every thread's registers are read, the caller
// reads what it needs through /proc/PID/mem, and gdb detaches. The guard holds a duty to kill gdb
// and SIGCONT the target the whole time, so a nodescope killed mid-freeze never leaves it in T.
import { TargetError } from '../../util/errors.js';
import type { Registers, Thread } from '../target.js';
import { GdbMi, type MiValue } from './gdb-mi.js';
import type { GuardHold, LiveGuard } from './live-guard.js';
import type { LiveTarget } from './live-target.js';
import { NO_CHECKPOINT, type Checkpoint } from './checkpoint.js';
import { permissionError } from './live-process-check.js';

/** Role: a gdb started for a freeze, with the register names it reports. */
export interface PreparedFreeze {
  readonly gdb: GdbMi;
  readonly names: readonly string[];
}

/** Role: one freeze of a live process; `end()` lets it run again and says how long it was stopped. */
export class ProcessFreeze {
  private ended = false;

  private constructor(
    private readonly target: LiveTarget,
    private readonly gdb: GdbMi,
    private readonly holds: readonly GuardHold[],
    /** When the process stopped (performance.now()). */
    readonly stoppedAt: number,
  ) {}

  /**
   * Starts the gdb a freeze will use and learns the register names (no process touched yet):
   * call it first, so gdb starts while the caller indexes files.
   */
  static prepare(): Promise<PreparedFreeze> {
    return GdbMi.start().then(async (gdb) => {
      try {
        return { gdb, names: await registerNames(gdb) };
      } catch (e) {
        await gdb.close();
        throw e;
      }
    });
  }

  /** Stops every thread of `target` and reads their registers into target.threads. */
  static async begin(target: LiveTarget, guard: LiveGuard, checkpoint: Checkpoint = NO_CHECKPOINT, prepared: Promise<PreparedFreeze> = ProcessFreeze.prepare()): Promise<ProcessFreeze> {
    const { gdb, names } = await prepared;
    const holds: GuardHold[] = [];
    try {
      if (gdb.pid !== undefined) holds.push(await guard.hold({ kind: 'kill', pid: gdb.pid }));
      holds.push(await guard.hold({ kind: 'resume', pid: target.pid }));
      const stoppedAt = performance.now();
      try {
        await gdb.run(`-target-attach ${target.pid}`);
      } catch (e) {
        throw attachError(target.pid, e);
      }
      const freeze = new ProcessFreeze(target, gdb, holds, stoppedAt);
      try {
        target.setThreads(await readThreads(gdb, names, target));
        await checkpoint('frozen');
      } catch (e) {
        await freeze.end();
        throw e;
      }
      return freeze;
    } catch (e) {
      await gdb.close();
      for (const h of holds) await h.release().catch(() => undefined);
      throw e;
    }
  }

  /** Detaches (the process runs again), ends gdb and releases the guard's duties; returns the pause in ms. */
  async end(): Promise<number> {
    if (this.ended) return 0;
    this.ended = true;
    try {
      await this.gdb.run('-target-detach');
    } finally {
      const paused = performance.now() - this.stoppedAt;
      this.target.setThreads([]);
      await this.gdb.close();
      for (const h of this.holds) await h.release().catch(() => undefined);
      this.pausedMs = paused;
    }
    return this.pausedMs;
  }

  /** How long the process was stopped (set by end()). */
  pausedMs = 0;
}

async function registerNames(gdb: GdbMi): Promise<string[]> {
  // Register names are known without a process once the architecture is set.
  await gdb.run('-gdb-set architecture i386:x86-64');
  const r = await gdb.run('-data-list-register-names');
  const names = r.fields['register-names'];
  return Array.isArray(names) ? names.map((n) => String(n)) : [];
}

/** The user_regs_struct names the stack walk reads (gdb names them the same). */
const REGS = ['r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi', 'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs'];

async function readThreads(gdb: GdbMi, names: readonly string[], target: LiveTarget): Promise<Thread[]> {
  const info = await gdb.run('-thread-info');
  const list = info.fields.threads;
  const regNumbers = REGS.map((n) => names.indexOf(n)).filter((i) => i >= 0).join(' ');
  const threads = (Array.isArray(list) ? list : []).flatMap((t) => {
    const rec = t as Record<string, MiValue>;
    const lwp = /LWP (\d+)/.exec(String(rec['target-id'] ?? ''));
    return lwp === null ? [] : [{ rec, tid: Number(lwp[1]) }];
  });
  // All register requests go out at once: gdb answers them in order, with no round trip between.
  const answers = await Promise.all(threads.map(({ rec }) => gdb.run(`-data-list-register-values --thread ${String(rec.id)} x ${regNumbers}`)));
  const out: Thread[] = threads.map(({ rec, tid }, i) => {
    const values = answers[i]!.fields['register-values'];
    const all: Record<string, bigint> = {};
    for (const v of Array.isArray(values) ? values : []) {
      const x = v as Record<string, MiValue>;
      const name = names[Number(x.number)];
      const value = String(x.value ?? '');
      if (name !== undefined && /^0x[0-9a-f]+$/i.test(value)) all[name] = BigInt(value);
    }
    const num = (n: string): number => {
      const v = all[n];
      return v !== undefined && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : 0;
    };
    const regs: Registers = { rip: num('rip'), rsp: num('rsp'), rbp: num('rbp'), all };
    const name = typeof rec.name === 'string' ? rec.name : undefined;
    return { tid, regs, ...(tid === target.pid ? { name: 'main' } : name !== undefined ? { name } : {}) };
  });
  if (out.length === 0) throw new TargetError(`no thread of process ${target.pid} could be read`);
  return out.sort((a, b) => Number(b.tid === target.pid) - Number(a.tid === target.pid) || a.tid - b.tid);
}

function attachError(pid: number, e: unknown): TargetError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/not permitted|Operation not permitted|ptrace/i.test(msg)) {
    return permissionError(pid);
  }
  if (/No such process/i.test(msg)) return new TargetError(`no process with PID ${pid}`, 'NO_PROCESS');
  return new TargetError(`cannot stop process ${pid}: ${msg}`, 'LIVE_FAILED');
}
