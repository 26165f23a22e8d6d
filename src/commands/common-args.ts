// Argument specs shared by the commands that read a core, so their help says the same thing.
import type { ArgSpec } from './command.js';

/** The core file every post-mortem command takes first (the REPL fills it in); left out with -p PID. */
export const CORE_ARG: ArgSpec = { name: 'target', kind: 'positional', required: true, omittedBy: 'pid', description: 'a core file (or -p PID)' };
/** `-p PID`: a live process instead of a core. */
export const PID_ARG: ArgSpec = { name: 'pid', kind: 'option', short: 'p', type: 'number', integer: true, min: 1, description: 'a live process instead of a core: stopped for milliseconds while it is read, then left running' };
/** `--binary`: the node binary to read instead of the one the core names. */
export const BINARY_ARG: ArgSpec = { name: 'binary', kind: 'option', description: 'node binary to use instead of the one the core names' };
/** `--max-items N`: most elements, properties and entries shown per object (0: all). */
export const MAX_ITEMS_ARG: ArgSpec = { name: 'max-items', kind: 'option', type: 'number', integer: true, min: 0, default: 100, description: 'most elements, properties and entries per object (0 = no limit); what is left out is counted (… N more items)' };

/** The inspect limit --max-items asks for (0: no limit). */
export function maxItemsOf(value: unknown): number {
  const n = Number(value ?? 100);
  return n === 0 ? Number.MAX_SAFE_INTEGER : n;
}

/** `--json`: print the result as data. */
export const JSON_ARG: ArgSpec = { name: 'json', kind: 'flag', description: 'print JSON' };
/** `--pid PID` without the short -p, for commands whose -p means something older (objects -p property). */
export const PID_LONG_ARG: ArgSpec = { name: 'pid', kind: 'option', type: 'number', integer: true, min: 1, description: PID_ARG.description };
