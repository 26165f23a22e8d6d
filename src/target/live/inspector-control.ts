// Finding and closing a live process's inspector: its debugger URL from /json/list on loopback,
// and `inspector.close()` evaluated inside it. Shared by inspector-mode profiling (which opens it
// with SIGUSR1) and the live guard (which closes it if nodescope dies with it open).
import { get } from 'node:http';
import { TargetError } from '../../util/errors.js';
import { CdpSession } from './cdp-session.js';

/**
 * Closes the target's inspector from inside: `inspector.close()` through
 * process.getBuiltinModule (Node ≥ 20.16, CJS and ESM alike), else the CommonJS main module's
 * require, else a dynamic import.
 */
export const CLOSE_INSPECTOR_EXPRESSION = `(() => {
  const close = (m) => { m.close(); return 'closed'; };
  if (typeof process.getBuiltinModule === 'function') return close(process.getBuiltinModule('node:inspector'));
  if (process.mainModule && typeof process.mainModule.require === 'function') return close(process.mainModule.require('inspector'));
  return import('node:inspector').then(close);
})()`;

function httpJson(url: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        if (body.length > 1 << 20) req.destroy();
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new TargetError(`${url}: not JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => reject(new TargetError(`${url}: ${e.message}`)));
  });
}

/** The `ws://` debugger URL of the inspector on 127.0.0.1:`port`, or undefined when none answers. */
export async function debuggerUrl(port: number): Promise<string | undefined> {
  try {
    const list = (await httpJson(`http://127.0.0.1:${port}/json/list`, 2000)) as Array<{ webSocketDebuggerUrl?: unknown }>;
    const url = Array.isArray(list) ? list.find((t) => typeof t?.webSocketDebuggerUrl === 'string')?.webSocketDebuggerUrl : undefined;
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Connects to the inspector on `port` and closes it from inside; resolves whether it answered. */
export async function closeInspectorAt(port: number, timeoutMs = 3000): Promise<boolean> {
  const url = await debuggerUrl(port);
  if (url === undefined) return false;
  const session = await CdpSession.connect(url, timeoutMs);
  session.fire('Runtime.evaluate', { expression: CLOSE_INSPECTOR_EXPRESSION, awaitPromise: true, silent: true });
  await Promise.race([session.closed, new Promise((r) => setTimeout(r, timeoutMs))]);
  await session.close();
  return true;
}
