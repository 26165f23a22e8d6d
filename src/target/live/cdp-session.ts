// A minimal Chrome DevTools protocol client over one WebSocket (the `ws` package): numbered
// requests, their responses, and events. Every request has a deadline; a closed socket fails
// all pending requests with a TargetError.
import type WebSocket from 'ws';
import { lazyRequire } from '../../util/lazy-require.js';

const ws = lazyRequire<typeof WebSocket>('ws');
import { TargetError } from '../../util/errors.js';

/** Role: one DevTools protocol connection to a target's inspector. */
export class CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly listeners = new Map<string, Array<(params: unknown) => void>>();
  private closedFlag = false;
  /** Resolves when the socket has closed, for whatever reason. */
  readonly closed: Promise<void>;

  private constructor(private readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', () => {
        this.closedFlag = true;
        for (const [, p] of this.pending) { clearTimeout(p.timer); p.reject(new TargetError('the inspector connection closed')); }
        this.pending.clear();
        resolve();
      });
    });
    ws.on('error', () => { /* 'close' follows and fails what is pending */ });
    ws.on('message', (data) => this.onMessage(String(data)));
  }

  /** Opens a session on a `ws://` debugger URL, failing after `timeoutMs`. */
  static connect(url: string, timeoutMs = 5000): Promise<CdpSession> {
    return new Promise((resolve, reject) => {
      const socket = new (ws())(url, { perMessageDeflate: false, maxPayload: 1 << 30, handshakeTimeout: timeoutMs });
      const fail = (why: string): void => { socket.removeAllListeners(); socket.on('error', () => undefined); socket.terminate(); reject(new TargetError(`cannot connect to the inspector at ${url}: ${why}`)); };
      socket.once('open', () => { socket.removeAllListeners(); resolve(new CdpSession(socket)); });
      socket.once('error', (e) => fail(e.message));
      socket.once('close', () => fail('closed during handshake'));
    });
  }

  /** Whether the socket has closed. */
  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** Sends a request and resolves with its result; rejects on a protocol error or the deadline. */
  send<T = unknown>(method: string, params: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<T> {
    if (this.closedFlag) return Promise.reject(new TargetError('the inspector connection closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(id); reject(new TargetError(`${method}: no answer from the inspector within ${timeoutMs} ms`)); }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Sends a request without waiting for (or expecting) an answer. */
  fire(method: string, params: Record<string, unknown> = {}): void {
    if (!this.closedFlag) this.ws.send(JSON.stringify({ id: this.nextId++, method, params }));
  }

  /** Calls `fn` on each event named `method`. */
  on(method: string, fn: (params: unknown) => void): void {
    const list = this.listeners.get(method) ?? [];
    list.push(fn);
    this.listeners.set(method, list);
  }

  /** Closes the socket and waits for it to be closed (at most `timeoutMs`). */
  async close(timeoutMs = 2000): Promise<void> {
    if (!this.closedFlag) this.ws.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((r) => { timer = setTimeout(() => { this.ws.terminate(); r(); }, timeoutMs); })]);
    clearTimeout(timer);
  }

  private onMessage(text: string): void {
    let msg: { id?: number; result?: unknown; error?: { message?: string }; method?: string; params?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error) p.reject(new TargetError(`inspector error: ${msg.error.message ?? 'unknown'}`));
      else p.resolve(msg.result);
    } else if (typeof msg.method === 'string') {
      for (const fn of this.listeners.get(msg.method) ?? []) fn(msg.params);
    }
  }
}
