// Opens a core for the CLI and the REPL, and prints what the user must know about it once (a
// truncated core, say) as `nodescope: warning: …` on stderr.
import { Session } from '../analysis/session.js';

/** Opens `path` as a Session; its target's warnings go to stderr. */
export function openCoreSession(path: string, opts: { binary?: string }): Session {
  const s = Session.openCore(path, opts.binary ? { binary: opts.binary } : {});
  for (const w of s.target.warnings) process.stderr.write(`nodescope: warning: ${w}\n`);
  return s;
}
