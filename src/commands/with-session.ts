// Runs a function with the session for a core path, through the context's provider, so that the
// REPL reuses one loaded core and the CLI closes what it opened.
import type { Session } from '../analysis/session.js';
import type { CommandContext } from './command.js';

/** Opens (or reuses) the session for `path`, runs `fn`, and releases it. */
export async function withSession<T>(ctx: CommandContext, path: string, binary: string | undefined, fn: (s: Session) => T | Promise<T>): Promise<T> {
  const s = ctx.sessions.open(path, binary ? { binary } : {});
  try {
    return await fn(s);
  } finally {
    ctx.sessions.release(s);
  }
}
