// Our end of the agent's UNIX socket: one JSON object per line each way. Requests are answered in
// order; records the agent pushes on its own (printf, printa, exit, end) go to `onRecord`.
import { connect, type Socket } from 'node:net';
import { TargetError } from '../util/errors.js';

/** Role: a message from the agent. */
export interface AgentMessage {
  readonly op: string;
  readonly [k: string]: unknown;
}

/** Role: one connection to a process's trace agent. */
export class AgentClient {
  private buf = '';
  private readonly waiters: Array<{ ops: readonly string[]; resolve: (m: AgentMessage) => void; reject: (e: Error) => void }> = [];
  private readonly recordListeners: Array<(m: AgentMessage) => void> = [];
  /** Resolves when the socket has closed (the target exited, or the agent went away). */
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => this.onData(c));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        for (const w of this.waiters.splice(0)) w.reject(new TargetError('the trace agent connection closed (did the process exit?)'));
        resolve();
      });
    });
  }

  /** Connects to the agent at `path` and waits for its hello. */
  static async connect(path: string, timeoutMs = 5000): Promise<{ client: AgentClient; hello: AgentMessage }> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(path);
      const timer = setTimeout(() => { s.destroy(); reject(new TargetError(`the trace agent at ${path} did not answer within ${timeoutMs} ms`)); }, timeoutMs);
      s.once('connect', () => { clearTimeout(timer); resolve(s); });
      s.once('error', (e) => { clearTimeout(timer); reject(new TargetError(`cannot connect to the trace agent at ${path}: ${e.message}`)); });
    });
    const client = new AgentClient(socket);
    const hello = await client.next(['hello', 'error'], timeoutMs);
    if (hello.op === 'error') throw new TargetError(`trace agent: ${String(hello.message)}`);
    return { client, hello };
  }

  /** Whether the connection has closed. */
  get closedNow(): boolean {
    return this.isClosed;
  }

  /** Calls `fn` on every record the agent pushes (printf, printa, exit, end). */
  onRecord(fn: (m: AgentMessage) => void): void {
    this.recordListeners.push(fn);
  }

  /** Sends `req` and resolves with the first message whose op is one of `ops`. */
  async request(req: Record<string, unknown>, ops: readonly string[], timeoutMs = 10_000): Promise<AgentMessage> {
    if (this.isClosed) throw new TargetError('the trace agent connection closed (did the process exit?)');
    const answer = this.next([...ops, 'error'], timeoutMs);
    this.socket.write(JSON.stringify(req) + '\n');
    const m = await answer;
    if (m.op === 'error') throw new TargetError(`trace agent: ${String(m.message)}`);
    return m;
  }

  /** Ends the connection (an injected agent then removes itself). */
  async close(timeoutMs = 2000): Promise<void> {
    if (!this.isClosed) this.socket.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((r) => { timer = setTimeout(() => { this.socket.destroy(); r(); }, timeoutMs); })]);
    clearTimeout(timer);
  }

  private next(ops: readonly string[], timeoutMs: number): Promise<AgentMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new TargetError(`the trace agent did not answer (${ops.join('/')}) within ${timeoutMs} ms`));
      }, timeoutMs);
      const w = { ops, resolve: (m: AgentMessage) => { clearTimeout(timer); resolve(m); }, reject: (e: Error) => { clearTimeout(timer); reject(e); } };
      this.waiters.push(w);
    });
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      let m: AgentMessage;
      try {
        m = JSON.parse(line) as AgentMessage;
      } catch {
        continue;
      }
      if (typeof m?.op !== 'string') continue;
      const i = this.waiters.findIndex((w) => w.ops.includes(m.op));
      if (i >= 0 && !(m.op === 'end' && m.reason === 'target-exited' && !this.waiters[i]!.ops.includes('end'))) {
        this.waiters.splice(i, 1)[0]!.resolve(m);
        continue;
      }
      for (const fn of this.recordListeners) fn(m);
    }
  }
}
