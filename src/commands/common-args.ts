// Argument specs shared by the commands that read a core, so their help says the same thing.
import type { ArgSpec } from './command.js';

/** The core file every post-mortem command takes first (the REPL fills it in). */
export const CORE_ARG: ArgSpec = { name: 'target', kind: 'positional', required: true, description: 'a core file' };
/** `--binary`: the node binary to read instead of the one the core names. */
export const BINARY_ARG: ArgSpec = { name: 'binary', kind: 'option', description: 'node binary to use instead of the one the core names' };
/** `--json`: print the result as data. */
export const JSON_ARG: ArgSpec = { name: 'json', kind: 'flag', description: 'print JSON' };
