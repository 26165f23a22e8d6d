// Itanium C++ (and Rust) symbol demangling through gecko-profiler-demangle, a WASM build of Rust's
// cpp_demangle. Node 20 cannot import .wasm, and the package's JS glue keeps its instance in a
// module variable, so each Demangler instantiates the module itself and speaks the wasm-bindgen
// string ABI directly (malloc/realloc/free + demangle_any returning [ptr, len]).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LruCache } from '../util/lru.js';

/** The slice of the WebAssembly global we use (lib ES2022 + @types/node 20 do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The exports of index_bg.wasm that we call (see the package's index_bg.js). */
interface DemangleExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  readonly __wbindgen_export_0: { grow(n: number): number; set(i: number, v: unknown): void };
  demangle_any(ptr: number, len: number): [number, number];
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __wbindgen_start(): void;
}

/** Longest name handed to the demangler; longer ones are returned as they are. */
const MAX_NAME = 16 * 1024;

/** Role: turns mangled C++ names into readable ones; one per session, loaded on first use. */
export class Demangler {
  private exports: DemangleExports | undefined;
  private failed = false;
  private readonly cache = new LruCache<string, string>(20_000);
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  /** Role: the demangled form of `name`, or `name` itself when it is not mangled or cannot be demangled. */
  demangle(name: string): string {
    if (!isMangled(name) || name.length > MAX_NAME) return name;
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit;
    const text = this.run(name);
    // demangle_any falls back to stripping one leading underscore when no demangler accepts the name.
    const out = text === undefined || text === name.slice(1) ? name : tidy(text);
    this.cache.set(name, out);
    return out;
  }

  /** Whether the WASM module could be loaded (false after a load failure; demangle then returns names as they are). */
  get available(): boolean {
    return this.load() !== undefined;
  }

  private run(name: string): string | undefined {
    const ex = this.load();
    if (ex === undefined) return undefined;
    const bytes = this.encoder.encode(name);
    try {
      const ptr = ex.__wbindgen_malloc(bytes.length, 1) >>> 0;
      new Uint8Array(ex.memory.buffer, ptr, bytes.length).set(bytes);
      // demangle_any takes ownership of the input buffer (wasm-bindgen passes String by value).
      const [outPtr, outLen] = ex.demangle_any(ptr, bytes.length);
      const text = this.decoder.decode(new Uint8Array(ex.memory.buffer, outPtr >>> 0, outLen >>> 0));
      ex.__wbindgen_free(outPtr, outLen, 1);
      return text;
    } catch {
      // A trap (Rust panic) may leave the allocator inconsistent: drop this instance, reload on next use.
      this.exports = undefined;
      return undefined;
    }
  }

  private load(): DemangleExports | undefined {
    if (this.exports !== undefined || this.failed) return this.exports;
    try {
      const require = createRequire(import.meta.url);
      const wasmPath = require.resolve('gecko-profiler-demangle/index_bg.wasm');
      const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
      const module = new wasm.Module(readFileSync(wasmPath));
      let ex: DemangleExports | undefined;
      const imports = {
        './index_bg.js': {
          // What index_bg.js's __wbindgen_init_externref_table does: reserve the 4 well-known slots.
          __wbindgen_init_externref_table: (): void => {
            const table = ex!.__wbindgen_export_0;
            const offset = table.grow(4);
            table.set(0, undefined);
            table.set(offset + 0, undefined);
            table.set(offset + 1, null);
            table.set(offset + 2, true);
            table.set(offset + 3, false);
          },
        },
      };
      ex = new wasm.Instance(module, imports).exports as unknown as DemangleExports;
      ex.__wbindgen_start();
      this.exports = ex;
    } catch {
      this.failed = true;
    }
    return this.exports;
  }
}

/** cpp_demangle prints an empty parameter pack as a dangling `, ` (`Foo<int, >`, `f(int, )`); c++filt drops it. */
function tidy(text: string): string {
  return /, [>)]|[<(], /.test(text) ? text.replace(/, ([>)])/g, '$1').replace(/([<(]), /g, '$1') : text;
}

/** Role: whether a symbol looks mangled (Itanium `_Z…`, Rust v0 `_R…`). */
export function isMangled(name: string): boolean {
  return name.startsWith('_Z') || name.startsWith('_R');
}
