// The shape of one command in the single registry that drives the CLI, the REPL, --help and
// docs/cli.md. Commands run analyses and render; only the cli layer owns argv, stdout and exit.
import type { Session } from '../analysis/session.js';
import type { Checkpoint } from '../target/live/checkpoint.js';
import type { LiveGuard } from '../target/live/live-guard.js';

/** Role: hands out sessions; the REPL keeps one per core, the CLI opens and closes each. */
export interface SessionProvider {
  open(path: string, opts: { binary?: string }): Session;
  release(session: Session): void;
}

/** Declares one flag, option or positional argument of a command. */
export interface ArgSpec {
  readonly name: string;
  /** positional: by order; option: `--name value`; flag: `--name` alone. */
  readonly kind: 'positional' | 'option' | 'flag';
  readonly short?: string;
  readonly type?: 'string' | 'number';
  readonly required?: boolean;
  readonly repeatable?: boolean;
  readonly default?: string | number | boolean;
  /** For numbers: whole numbers only. */
  readonly integer?: boolean;
  /** For numbers: the smallest value accepted. */
  readonly min?: number;
  /** A positional left out when this option is given (the core, when `-p PID` names a process). */
  readonly omittedBy?: string;
  readonly description: string;
}

/** Parsed arguments: option and flag values by name, positionals by name, and the rest. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | number | boolean | string[] | undefined>>;
  /** Words after `--`, verbatim (for `profile -- node app.js`). */
  readonly rest: readonly string[];
}

/** What a running command may use to talk to the user; provided by cli or repl. */
export interface CommandContext {
  /** Writes text to standard output (no newline added). */
  readonly out: (text: string) => void;
  /** Writes a diagnostic to standard error (no newline added). */
  readonly err: (text: string) => void;
  /** Whether stdout is a terminal (colour, progress bars). */
  readonly tty: boolean;
  readonly color: boolean;
  /** Aborted on Ctrl-C; long commands stop cleanly and write what they have. */
  readonly signal: AbortSignal;
  /** Environment variables, read only through here. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sessions: SessionProvider;
  /** Starts a progress line on stderr for work that may take over a second (a no-op off a TTY). */
  readonly progress: (label: string) => Progress;
  /** Starts a live guard (a process that undoes live changes if nodescope dies); close it when done. */
  readonly liveGuard: () => Promise<LiveGuard>;
  /** Awaited at the named moments of live operations (the kill tests stop nodescope at one). */
  readonly checkpoint: Checkpoint;
}

/**
 * Role: one live progress line; `update` replaces its detail (and, for scans with a known end,
 * the fraction done, drawn as a bar), `done` erases it. Updates redraw at most every 100 ms, so a
 * synchronous scan may call it as often as it likes.
 */
export interface Progress {
  update(detail: string, fraction?: number): void;
  done(): void;
}

/** Role: one entry of the command registry. Returns the process exit code (0 by default). */
export interface Command {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  /** Longer help: usage lines and examples. */
  readonly help: string;
  readonly args: readonly ArgSpec[];
  run(args: ParsedArgs, ctx: CommandContext): Promise<number | void>;
}
