// The one command registry: it drives the CLI, the REPL, --help and docs/cli.md.
import type { Command } from './command.js';
import { layoutCommand } from './layout.js';
import { snapshotCommand } from './snapshot.js';
import { stackCommand } from './stack.js';
import { stacksCommand } from './stacks.js';
import { leaksCommand } from './leaks.js';
import { memoryCommand } from './memory.js';
import { demoCommand } from './demo.js';
import { printCommand } from './print.js';
import { sourceCommand } from './source.js';
import { functionCommand } from './function.js';
import { closureCommand } from './closure.js';
import { frameCommand } from './frame.js';
import { profileCommand } from './profile.js';
import { flamegraphCommand } from './flamegraph.js';
import { objectsCommand } from './objects.js';
import { functionsCommand, instancesCommand, pathCommand, refsCommand } from './heap-queries.js';
import { heapsnapshotCommand } from './heapsnapshot.js';
import { handlesCommand, infoCommand, promisesCommand, queuesCommand, requestsCommand, timersCommand } from './node-state.js';
import { whyCommand } from './why.js';
import { triageCommand } from './triage.js';
import { traceCommand } from './trace.js';
import { perfmapCommand } from './perfmap.js';

/** Role: every command, in the order --help lists them. */
export function registry(): readonly Command[] {
  return [
    stackCommand,
    stacksCommand,
    printCommand,
    sourceCommand,
    functionCommand,
    closureCommand,
    frameCommand,
    objectsCommand,
    instancesCommand,
    functionsCommand,
    refsCommand,
    pathCommand,
    heapsnapshotCommand,
    memoryCommand,
    leaksCommand,
    whyCommand,
    infoCommand,
    handlesCommand,
    requestsCommand,
    timersCommand,
    queuesCommand,
    promisesCommand,
    triageCommand,
    snapshotCommand,
    profileCommand,
    traceCommand,
    perfmapCommand,
    flamegraphCommand,
    layoutCommand,
    demoCommand,
  ];
}

/** Finds the command named by the first word (or two words, for aliases such as `v8 bt`). */
export function findCommand(commands: readonly Command[], words: readonly string[]): { command: Command; consumed: number } | undefined {
  const two = words.length >= 2 ? `${words[0]} ${words[1]}` : undefined;
  for (const c of commands) if (two !== undefined && c.aliases.includes(two)) return { command: c, consumed: 2 };
  for (const c of commands) if (c.name === words[0] || c.aliases.includes(words[0] ?? '')) return { command: c, consumed: 1 };
  return undefined;
}
