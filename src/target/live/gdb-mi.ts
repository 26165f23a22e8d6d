// A small client of gdb's machine interface (gdb --interpreter=mi2), used only to stop a live
// process, read every thread's registers and let it go: gdb is the one ptrace tool every Linux
// debugging box has. gdb is told to load no symbols (a tiny exec file, no shared libraries), so
// attaching costs milliseconds, not the seconds of reading a 100 MB node binary.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { TargetError } from '../../util/errors.js';

/** Role: one parsed MI value: a C string, a tuple {…} or a list […]. */
export type MiValue = string | { readonly [k: string]: MiValue } | readonly MiValue[];

/** Role: a result record (`^done,…` or `^error,…`). */
export interface MiResult {
  readonly cls: string;
  readonly fields: Readonly<Record<string, MiValue>>;
}

/** Parses the results after `^done,` (or an async record's class): `a="x",b={c="y"},d=[…]`. */
export function parseMiResults(text: string): Record<string, MiValue> {
  let i = 0;
  const out: Record<string, MiValue> = {};
  const cstring = (): string => {
    let s = '';
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) {
        const c = text[++i]!;
        s += c === 'n' ? '\n' : c === 't' ? '\t' : c;
      } else s += text[i];
      i++;
    }
    i++; // closing quote
    return s;
  };
  const value = (): MiValue => {
    const c = text[i];
    if (c === '"') return cstring();
    if (c === '{') {
      i++;
      const t: Record<string, MiValue> = {};
      while (i < text.length && text[i] !== '}') {
        const [k, v] = pair();
        t[k] = v;
        if (text[i] === ',') i++;
      }
      i++;
      return t;
    }
    if (c === '[') {
      i++;
      const l: MiValue[] = [];
      while (i < text.length && text[i] !== ']') {
        // A list holds values or key=value pairs (whose keys repeat); keep the values.
        if (/[A-Za-z_-]/.test(text[i]!)) l.push(pair()[1]);
        else l.push(value());
        if (text[i] === ',') i++;
      }
      i++;
      return l;
    }
    throw new TargetError(`gdb sent an unexpected MI reply near ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const pair = (): [string, MiValue] => {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new TargetError(`gdb sent an unexpected MI reply: ${JSON.stringify(text.slice(i, i + 40))}`);
    const k = text.slice(i, eq);
    i = eq + 1;
    return [k, value()];
  };
  while (i < text.length) {
    const [k, v] = pair();
    out[k] = v;
    if (text[i] === ',') i++;
    else break;
  }
  return out;
}

/** Role: a running gdb MI session; commands are numbered and answered in order. */
export class GdbMi {
  private buffer = '';
  private nextToken = 1;
  private readonly waiting = new Map<number, { resolve: (r: MiResult) => void; reject: (e: Error) => void }>();
  private exited = false;
  /** Console and log stream text (for error messages). */
  private log = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => this.onData(d));
    child.stderr.on('data', (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-4000);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const w of this.waiting.values()) w.reject(new TargetError(`gdb exited${this.log ? `: ${this.log.trim().split('\n').pop()}` : ''}`));
      this.waiting.clear();
    });
    child.on('error', () => {
      // Reported through 'exit' or the first command.
    });
  }

  /** Starts gdb in MI mode with no symbols to load; `wrapper` may prefix it (e.g. setpriv --pdeathsig). */
  static async start(gdb = 'gdb', wrapper: readonly string[] = []): Promise<GdbMi> {
    const argv = [...wrapper, gdb, '--interpreter=mi2', '-nx', '-q', '-iex', 'set auto-load off'];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const mi = new GdbMi(child);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (e) => reject(new TargetError(`cannot run gdb (${(e as NodeJS.ErrnoException).code ?? e.message}); install it (apt-get install gdb) to read live processes`, 'MISSING_TOOL')));
    });
    for (const c of ['-gdb-set auto-solib-add off', '-gdb-set exec-file-mismatch off', '-gdb-set confirm off', '-gdb-set pagination off', '-file-exec-and-symbols /bin/true']) await mi.run(c);
    return mi;
  }

  /** gdb's own PID (for the guard). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends one MI command and resolves with its result record; `^error` rejects. */
  run(command: string): Promise<MiResult> {
    if (this.exited) return Promise.reject(new TargetError('gdb is not running'));
    const token = this.nextToken++;
    return new Promise((resolve, reject) => {
      this.waiting.set(token, {
        resolve: (r) => (r.cls === 'error' ? reject(new TargetError(`gdb: ${String(r.fields.msg ?? 'error')}`)) : resolve(r)),
        reject,
      });
      this.child.stdin.write(`${token}${command}\n`);
    });
  }

  /** Ends gdb (it detaches whatever it still holds); kills it if it does not go. */
  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.child.stdin.end('-gdb-exit\n');
    } catch {
      // The pipe is already closed.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await gone;
    clearTimeout(timer);
  }

  private onData(d: string): void {
    this.buffer += d;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      const m = /^(\d+)\^(\w+),?(.*)$/.exec(line);
      if (m !== null) {
        const w = this.waiting.get(Number(m[1]));
        if (w === undefined) continue;
        this.waiting.delete(Number(m[1]));
        try {
          w.resolve({ cls: m[2]!, fields: m[3] ? parseMiResults(m[3]) : {} });
        } catch (e) {
          w.reject(e as Error);
        }
      } else if (line.startsWith('~') || line.startsWith('&')) {
        this.log = (this.log + line).slice(-4000);
      }
    }
  }
}
