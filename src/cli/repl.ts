// `nodescope <core>`: an interactive session on one loaded core. Every registry command runs
// without repeating the core path; the core and its indexes are loaded once. History lives in
// ~/.nodescope_history; Tab completes command names. Errors print one line and the session goes on.
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command, SessionProvider } from '../commands/command.js';
import { findCommand } from '../commands/registry.js';
import { commandHelp, overviewHelp } from '../commands/help-text.js';
import { makeStyle } from '../render/style.js';
import { NodescopeError } from '../util/errors.js';
import { rewriteDialect, splitWords } from './repl-words.js';
import { runCommand } from './run-command.js';
import { openCoreSession } from './open-session.js';

/** Options of the interactive session. */
export interface ReplOptions {
  readonly corePath: string;
  readonly binary?: string;
  readonly color: boolean;
  readonly version: string;
}

/** Runs the REPL until EOF or `quit`; returns the exit code. */
export async function runRepl(commands: readonly Command[], opts: ReplOptions): Promise<number> {
  const style = makeStyle(opts.color);
  const session = openCoreSession(opts.corePath, opts.binary ? { binary: opts.binary } : {});
  // The REPL's own core keeps one session (its indexes serve every query); another core named in
  // a command (objects --diff) is opened for that command only.
  const sessions: SessionProvider = {
    open: (path, o) => (path === opts.corePath ? session : openCoreSession(path, o)),
    release: (s) => {
      if (s !== session) s.close();
    },
  };
  const historyFile = join(homedir(), '.nodescope_history');
  const names = commands.flatMap((c) => [c.name, ...c.aliases.filter((a) => !a.includes(' '))]);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY === true,
    history: loadHistory(historyFile),
    completer: (line: string) => {
      const hits = [...names, 'help', 'quit'].filter((n) => n.startsWith(line.trim()));
      return [hits, line.trim()];
    },
  });
  process.stdout.write(`${style.bold('nodescope')} ${opts.version} on ${opts.corePath} (pid ${session.target.pid}, ${session.target.threads.length} threads). 'help' lists commands, 'quit' leaves.\n`);
  rl.setPrompt(style.cyan('> '));
  rl.prompt();
  try {
    for await (const line of rl) {
      const words = rewriteDialect(splitWords(line));
      if (words.length === 0) {
        rl.prompt();
        continue;
      }
      if (['quit', 'exit', 'q'].includes(words[0]!)) break;
      appendHistory(historyFile, line);
      rl.pause();
      await runLine(commands, words, opts, style.enabled, sessions);
      rl.resume();
      rl.prompt();
    }
  } finally {
    rl.close();
    session.close();
  }
  return 0;
}

async function runLine(commands: readonly Command[], words: string[], opts: ReplOptions, color: boolean, sessions: SessionProvider): Promise<void> {
  const style = makeStyle(color);
  try {
    if (words[0] === 'help') {
      const c = words.length > 1 ? findCommand(commands, words.slice(1)) : undefined;
      process.stdout.write(c ? commandHelp(c.command, style) : overviewHelp(commands, opts.version, style));
      return;
    }
    const found = findCommand(commands, words);
    if (!found) {
      process.stdout.write(`no command '${words[0]}'; 'help' lists them\n`);
      return;
    }
    const rest = words.slice(found.consumed);
    if (rest.includes('--help')) {
      process.stdout.write(commandHelp(found.command, style));
      return;
    }
    const first = found.command.args.find((a) => a.kind === 'positional');
    const withTarget = first?.name === 'target' ? [opts.corePath, ...rest] : rest;
    const code = await runCommand(found.command, withTarget, color, process.stdout.isTTY === true, sessions);
    if (code !== 0 && code !== 130) process.stdout.write(style.dim(`(exit ${code})\n`));
  } catch (e) {
    // Errors go to stderr, as the CLI's do, one line each; the session goes on.
    if (e instanceof NodescopeError) process.stderr.write(`${style.red('error:')} ${e.code}: ${e.message}\n`);
    else process.stderr.write(`${style.red('internal error:')} ${e instanceof Error ? e.message : String(e)} (a bug; please report)\n`);
  }
}

function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 500);
  } catch {
    return [];
  }
}

function appendHistory(file: string, line: string): void {
  try {
    appendFileSync(file, line + '\n');
  } catch {
    // History is a convenience; a read-only home must not break the session.
  }
}
