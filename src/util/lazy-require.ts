// Loads a CommonJS dependency on first use instead of at start-up: iced-x86 (a 1.7 MB wasm
// decoder), ws and pprof-format are needed by one command each, and importing them eagerly cost
// every nodescope run a tenth of a second before its first byte.
import { createRequire } from 'node:module';

/** Role: a getter that requires `name` once, when first called (types come from `import type`). */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= createRequire(import.meta.url)(name) as T;
    return loaded;
  };
}
