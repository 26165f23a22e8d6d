// The client side of the live guard (src/cli/guard-main.ts): every change a live command makes to
// its target (stopping it, its coredump_filter, its inspector) and every helper and temporary file
// it starts is first handed to the guard as a duty, and released once undone. If nodescope dies
// at any moment, the guard sees its pipe close and carries out what is still held.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Duplex } from 'node:stream';
import { TargetError } from '../../util/errors.js';
import type { GuardDuty } from './guard-duties.js';

/** Role: a held duty; release it once its change is undone. */
export interface GuardHold {
  release(): Promise<void>;
}

/** Role: the connection to one guard process. */
export class LiveGuard {
  private nextId = 1;
  private readonly waiting = new Map<number, () => void>();
  private closed = false;

  private constructor(private readonly channel: Duplex) {}

  /** Starts a guard from its entry script (`node <entry> --launch`) and waits until it is ready. */
  static async start(entry: string): Promise<LiveGuard> {
    // fd 3 is a socket pair end: one duplex channel that outlives the launcher (see guard-main).
    const launcher = spawn(process.execPath, [entry, '--launch', '--owner', String(process.pid)], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], detached: true });
    const channel = launcher.stdio[3] as Duplex;
    const guard = new LiveGuard(channel);
    const lines = createInterface({ input: channel });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TargetError('the live guard did not start (needed to leave the target as found)', 'LIVE_FAILED')), 10_000);
      lines.on('line', (line) => {
        if (line === 'ready') {
          clearTimeout(timer);
          resolve();
          return;
        }
        const m = /^ok (\d+)$/.exec(line);
        if (m !== null) {
          const w = guard.waiting.get(Number(m[1]));
          guard.waiting.delete(Number(m[1]));
          w?.();
        }
      });
      launcher.once('error', (e) => {
        clearTimeout(timer);
        reject(new TargetError(`cannot start the live guard (${e.message})`, 'LIVE_FAILED'));
      });
    });
    await ready;
    // The pipes must not keep nodescope alive once its work is done.
    launcher.unref();
    (channel as unknown as { unref?: () => void }).unref?.();
    return guard;
  }

  /** Hands `duty` to the guard before the change it undoes is made; resolves once it is recorded. */
  async hold(duty: GuardDuty): Promise<GuardHold> {
    const id = this.nextId++;
    await this.send({ op: 'hold', id, duty });
    return { release: () => this.send({ op: 'release', id }) };
  }

  /** Ends the guard with nothing left to do (every change was undone). */
  async close(): Promise<void> {
    if (this.closed) return;
    const id = this.nextId++;
    await this.send({ op: 'bye', id }).catch(() => undefined);
    this.closed = true;
    this.channel.end();
  }

  private send(msg: Record<string, unknown>): Promise<void> {
    if (this.closed) return Promise.resolve();
    const id = msg.id as number;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new TargetError('the live guard stopped answering', 'LIVE_FAILED'));
      }, 5000);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      this.channel.write(JSON.stringify(msg) + '\n');
    });
  }
}
