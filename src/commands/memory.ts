// `nodescope memory`: the address space by owner, reconciled to the total (V8 heap by space,
// external memory by constructor, the malloc heap by arena, stacks, JIT code, files, the rest).
import { memoryAnalysis } from '../analysis/memory/memory-analysis.js';
import { renderMemory } from '../render/memory/memory-text.js';
import { makeStyle } from '../render/style.js';
import { BINARY_ARG, CORE_ARG, JSON_ARG, PID_ARG } from './common-args.js';
import type { Command } from './command.js';
import { onTarget } from './target-session.js';

/** Role: the `memory` command. */
export const memoryCommand: Command = {
  name: 'memory',
  aliases: [],
  summary: 'the address space by owner, reconciled to the total: V8 spaces, external memory by constructor, malloc arenas, stacks, code, files',
  help: `Examples:
  nodescope memory core.12345              # categories add up to the mapped bytes of the core
  nodescope memory core.12345 --top 50     # the 50 largest external-memory holders (addresses for refs/path)
  nodescope memory -p 12345 --json
Backing stores are attributed to the first view over them (Buffer, Uint8Array, …), else to
their ArrayBuffer. The malloc heap is read for glibc only. A live process (-p) counts resident
pages and adds up to its RSS; it stays stopped for the whole heap walk, so for a large heap take
'nodescope snapshot -p PID' first and run memory on the core.`,
  args: [
    CORE_ARG,
    PID_ARG,
    BINARY_ARG,
    { name: 'top', kind: 'option', type: 'number', integer: true, min: 0, default: 10, description: 'largest external-memory holders listed' },
    JSON_ARG,
  ],
  async run(args, ctx) {
    const result = await onTarget(ctx, 'memory', args, (s) => memoryAnalysis(s, { top: (args.values.top as number | undefined) ?? 10 }));
    if (args.values.json) ctx.out(JSON.stringify(result) + '\n');
    else ctx.out(renderMemory(result, makeStyle(ctx.color)));
  },
};
