// What the live guard undoes when nodescope dies: each duty is recorded before the change it
// undoes is made (write-ahead), and carried out only if nodescope goes away without releasing it.
// Every duty is idempotent: doing it when the change never happened is harmless.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { closeInspectorAt } from './inspector-control.js';
import { ownListeners } from './listening-sockets.js';
import { anyThreadStopped, countTracedThreads } from './proc-status.js';

/** Role: one thing to undo, as the guard protocol carries it (JSON). */
export type GuardDuty =
  /** Kill a helper we started (gdb, gcore's group, perf): `pid` < 0 names a process group. */
  | { readonly kind: 'kill'; readonly pid: number }
  /** Resume a target a tracer may have left stopped (SIGCONT once no thread is traced). */
  | { readonly kind: 'resume'; readonly pid: number }
  /** Write back a target's coredump_filter. */
  | { readonly kind: 'coredump-filter'; readonly pid: number; readonly value: number }
  /** Detach the trace agent at `socket` (an injected agent then removes itself). */
  | { readonly kind: 'agent'; readonly pid: number; readonly socket: string }
  /** Close the inspector we opened in the target (listening on `port`). */
  | { readonly kind: 'inspector'; readonly pid: number; readonly port: number }
  /** Remove a temporary file or folder. */
  | { readonly kind: 'remove'; readonly path: string };

/** The order duties run in: helpers die first, then the target is resumed and restored, then files go. */
const ORDER: readonly GuardDuty['kind'][] = ['kill', 'resume', 'coredump-filter', 'agent', 'inspector', 'remove'];

/** Waits up to `ms` for `done`, polling. */
async function until(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends the trace agent at `socket` a detach (its program is unloaded; an injected agent removes
 * itself once the connection closes) and waits for it to close; whether it answered.
 */
function detachAgent(socket: string, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socket);
    const timer = setTimeout(() => { s.destroy(); resolve(false); }, timeoutMs);
    s.on('connect', () => s.write('{"op":"detach"}\n'));
    s.on('data', () => undefined);
    s.on('error', () => { clearTimeout(timer); resolve(false); });
    s.on('close', () => { clearTimeout(timer); resolve(true); });
  });
}

/** Carries out `duties` in the safe order; never throws (a guard must finish its work). */
export async function carryOut(duties: readonly GuardDuty[]): Promise<string[]> {
  const done: string[] = [];
  const sorted = [...duties].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  for (const d of sorted) {
    try {
      switch (d.kind) {
        case 'kill':
          try {
            process.kill(d.pid, 'SIGKILL');
            done.push(`killed ${d.pid}`);
          } catch {
            // Already gone.
          }
          break;
        case 'resume':
          // A dead tracer leaves its attach's SIGSTOP behind: wait until no thread is traced,
          // then SIGCONT, which also discards pending stops (Linux kernel/signal.c prepare_signal).
          await until(() => countTracedThreads(d.pid) === 0, 3000);
          if (alive(d.pid)) {
            process.kill(d.pid, 'SIGCONT');
            await until(() => !anyThreadStopped(d.pid), 1000);
            done.push(`resumed ${d.pid}`);
          }
          break;
        case 'coredump-filter': {
          const path = `/proc/${d.pid}/coredump_filter`;
          const now = Number.parseInt(readFileSync(path, 'latin1').trim(), 16);
          if (now !== d.value) {
            writeFileSync(path, `0x${d.value.toString(16)}`);
            done.push(`coredump_filter of ${d.pid} back to 0x${d.value.toString(16)}`);
          }
          break;
        }
        case 'agent':
          if (alive(d.pid) && (await detachAgent(d.socket))) done.push(`detached the trace agent of ${d.pid}`);
          break;
        case 'inspector':
          if (alive(d.pid) && ownListeners(d.pid).some((s) => s.port === d.port)) {
            await closeInspectorAt(d.port).catch(() => false);
            done.push(`closed the inspector of ${d.pid}`);
          }
          break;
        case 'remove':
          rmSync(d.path, { recursive: true, force: true });
          done.push(`removed ${d.path}`);
          break;
      }
    } catch {
      // One failed duty must not stop the others.
    }
  }
  return done;
}
