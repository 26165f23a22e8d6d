// Runs a function with the session for a core path, through the context's provider, so that the
// REPL reuses one loaded core and the CLI closes what it opened. A compressed core is
// decompressed into a scratch file first (see plain-core.ts).
import type { Session } from '../analysis/session.js';
import type { CommandContext } from './command.js';
import { plainCore } from './plain-core.js';

/** Opens (or reuses) the session for `path`, runs `fn`, and releases it. */
export async function withSession<T>(ctx: CommandContext, path: string, binary: string | undefined, fn: (s: Session) => T | Promise<T>): Promise<T> {
  const core = await plainCore(ctx, path);
  try {
    const s = ctx.sessions.open(core.path, binary ? { binary } : {});
    try {
      return await fn(s);
    } finally {
      ctx.sessions.release(s);
    }
  } finally {
    core.cleanup();
  }
}
