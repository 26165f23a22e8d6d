// `nodescope layout <core|binary>`: V8/Node versions and every metadata constant in use.
import { layoutInfo } from '../analysis/layout-info.js';
import { renderLayout } from '../render/layout-text.js';
import { makeStyle } from '../render/style.js';
import { BINARY_ARG, JSON_ARG } from './common-args.js';
import type { Command } from './command.js';

/** Role: the `layout` command. */
export const layoutCommand: Command = {
  name: 'layout',
  aliases: ['v8 layout'],
  summary: 'print the V8/Node versions and every V8 metadata constant used, with value and source',
  help: `Examples:
  nodescope layout core.12345
  nodescope layout ./node --json
Constants come from the binary's v8dbg_*/nodedbg_* symbols; values of .bss symbols are read from
the core's memory. 'fallback' marks a documented default used where a binary lacks a symbol.`,
  args: [
    { name: 'target', kind: 'positional', required: true, description: 'a core file or a node binary' },
    BINARY_ARG,
    JSON_ARG,
  ],
  async run(args, ctx) {
    const info = layoutInfo(String(args.values.target), args.values.binary as string | undefined);
    ctx.out(args.values.json ? JSON.stringify(info, null, 2) + '\n' : renderLayout(info, makeStyle(ctx.color)));
  },
};
