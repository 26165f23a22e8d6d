// Waiting on conditions we cannot subscribe to (a socket appearing in /proc): poll with a
// deadline and an abort signal. A readiness check, not a fixed sleep.

/** Role: resolves after `ms`, or early when `signal` aborts; returns whether it was aborted. */
export function delay(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) { resolve(true); return; }
    const onAbort = (): void => { clearTimeout(timer); resolve(true); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(false); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Role: polls `cond` every `everyMs` until it returns a value or `timeoutMs` passes (undefined). */
export async function waitFor<T>(cond: () => T | undefined, timeoutMs: number, everyMs = 20, signal?: AbortSignal): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = cond();
    if (v !== undefined) return v;
    if (Date.now() >= deadline || signal?.aborted) return undefined;
    await delay(everyMs, signal);
  }
}
