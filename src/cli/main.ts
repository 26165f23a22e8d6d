#!/usr/bin/env node
// Entry of the `nodescope` bin: the only code that reads argv and the environment, writes to
// stdout/stderr and sets the exit code. Typed errors print one line and exit 2; nothing else
// prints a stack trace unless NODESCOPE_DEBUG is set.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { findCommand, registry } from '../commands/registry.js';
import { commandHelp, overviewHelp, cliMarkdown } from '../commands/help-text.js';
import { makeStyle } from '../render/style.js';
import { NodescopeError, UsageError } from '../util/errors.js';
import { runCommand } from './run-command.js';
import { runRepl } from './repl.js';
import type { Session } from '../analysis/session.js';
import { openCoreSession } from './open-session.js';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };

async function main(argv: string[]): Promise<number> {
  const noColor = argv.includes('--no-color');
  const words = argv.filter((w) => w !== '--no-color');
  const tty = process.stdout.isTTY === true;
  const style = makeStyle(tty && !noColor && !process.env.NO_COLOR);
  const commands = registry();
  const first = words[0];
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && words.length === 1)) {
    process.stdout.write(overviewHelp(commands, pkg.version, style));
    return 0;
  }
  if (first === '--version' || first === '-V') {
    process.stdout.write(`nodescope ${pkg.version}\n`);
    return 0;
  }
  if (first === 'help') {
    if (words[1] === '--markdown') {
      process.stdout.write(cliMarkdown(commands));
      return 0;
    }
    const c = findCommand(commands, words.slice(1));
    if (!c) throw new UsageError(`no command '${words[1]}'; run 'nodescope --help' for the list`);
    process.stdout.write(commandHelp(c.command, style));
    return 0;
  }
  const found = findCommand(commands, words);
  if (!found && existsSync(first)) {
    const bi = words.indexOf('--binary');
    const binary = bi > 0 ? words[bi + 1] : undefined;
    return runRepl(commands, { corePath: first, color: style.enabled, version: pkg.version, ...(binary ? { binary } : {}) });
  }
  if (!found) {
    throw new UsageError(`no command '${first}'; run 'nodescope --help' for the list`);
  }
  const rest = words.slice(found.consumed);
  const dashdash = rest.indexOf('--');
  const before = dashdash >= 0 ? rest.slice(0, dashdash) : rest;
  if (before.includes('--help') || before.includes('-h')) {
    process.stdout.write(commandHelp(found.command, style));
    return 0;
  }
  const sessions = { open: (path: string, opts: { binary?: string }) => openCoreSession(path, opts), release: (s: Session) => s.close() };
  return runCommand(found.command, rest, style.enabled, tty, sessions);
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof NodescopeError) {
      process.stderr.write(`nodescope: ${e.code}: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`nodescope: internal error: ${msg} (a bug; rerun with NODESCOPE_DEBUG=1 for details)\n`);
      if (process.env.NODESCOPE_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
      process.exitCode = 1;
    }
  },
);
