// Runs one registry command with parsed words and a context wired to this process's streams.
// Shared by the one-shot CLI and the REPL; Ctrl-C aborts the running command only.
import type { Command, CommandContext, SessionProvider } from '../commands/command.js';
import { parseArgs } from './parse-args.js';
import { startProgress } from './progress-line.js';
import { fileURLToPath } from 'node:url';
import { LiveGuard } from '../target/live/live-guard.js';
import { stoppingCheckpoint } from '../target/live/checkpoint.js';

/** The guard's entry script, beside this one. */
const GUARD_ENTRY = fileURLToPath(new URL('./guard-main.js', import.meta.url));

/** Runs `command` with `words`; returns its exit code (130 when interrupted). */
export async function runCommand(command: Command, words: readonly string[], color: boolean, tty: boolean, sessions: SessionProvider): Promise<number> {
  const args = parseArgs(command.name, command.args, words);
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ctx: CommandContext = {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    tty,
    color,
    signal: abort.signal,
    env: process.env,
    sessions,
    progress: (label) => startProgress(label, process.stderr.isTTY === true),
    liveGuard: () => LiveGuard.start(GUARD_ENTRY),
    checkpoint: stoppingCheckpoint(process.env.NODESCOPE_TEST_STOP_AT, (line) => process.stderr.write(line)),
  };
  try {
    const code = (await command.run(args, ctx)) ?? 0;
    return abort.signal.aborted && code === 0 ? 130 : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
