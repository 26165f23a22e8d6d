// Starts a fixture process and resolves once its stdout prints a ready line: the child, the
// line's match, and a stop() that kills it and waits for the exit. Rejects (and kills it) when
// the line does not come in time or the child exits first, with its stderr.
import { spawn, type ChildProcess } from 'node:child_process';

/** Role: a started fixture with its ready line. */
export interface ReadyChild {
  readonly child: ChildProcess;
  readonly ready: RegExpExecArray;
  stop(): Promise<void>;
}

/** Options of startReadyChild. */
export interface ReadyChildOptions {
  readonly ready: RegExp;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly stdin?: 'ignore' | 'pipe';
  readonly timeoutMs?: number;
  /** What the child is, for errors ("fixture", "service"). */
  readonly what?: string;
}

/** Spawns `command args…` and waits for `opts.ready` on its stdout. */
export function startReadyChild(command: string, args: readonly string[], opts: ReadyChildOptions): Promise<ReadyChild> {
  const child = spawn(command, args, { stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}) });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const what = opts.what ?? 'fixture';
  const timeoutMs = opts.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${what} not ready within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = opts.ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, ready: m, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before ready: ${err}`));
    });
  });
}
