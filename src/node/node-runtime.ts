// Node's runtime state in one target, as a per-session service: the nodedbg_ offsets, libuv's
// default loop, the Environments (both routes) and their wrap queues, each computed once on
// first use. Holds no JS-level knowledge (timers, queues): analysis/node builds on this.
import type { ElfSymbol } from '../elf/elf-file.js';
import type { AddressSpace } from '../target/address-space.js';
import type { HeapObject, V8Heap } from '../v8/heap/v8-heap.js';
import { scanVtables, vptrOf } from '../native/vtable-scan.js';
import { pendingMicrotasks, type MicrotaskQueueOffsets } from '../v8/objects/microtasks.js';
import { findEnvironments, type EnvironmentSearch } from './environment.js';
import { nodeOffsets, type NodeOffsets } from './node-offsets.js';
import { walkUvLoop, type UvLoop } from './uv-loop.js';
import { UV } from './uv-layout.js';
import { requestOfWrap, walkWrapQueue, type UvRequest, type WrapQueue } from './wrap-queues.js';

/** node::Environment's vtable. */
export const ENVIRONMENT_VTABLE = '_ZTVN4node11EnvironmentE';
/** node::worker::Worker's vtable. */
export const WORKER_VTABLE = '_ZTVN4node6worker6WorkerE';
/** libuv's static default loop (src/uv-common.c). */
export const DEFAULT_LOOP_SYMBOL = 'default_loop_struct';
/** Symbol names (prefixes) the runtime needs from the node binary's one symbol scan. */
export const NODE_SYMBOL_PREFIXES: readonly string[] = [ENVIRONMENT_VTABLE, WORKER_VTABLE, DEFAULT_LOOP_SYMBOL];

/** Role: what the runtime reads: memory, the heap, the binary's symbols and where to start route 1. */
export interface NodeRuntimeInputs {
  readonly space: AddressSpace;
  readonly heap: V8Heap;
  readonly symbols: readonly ElfSymbol[];
  readonly bias: number;
  /** Objects to find Environments from (frame functions, thrown values), computed on demand. */
  readonly probes: () => readonly HeapObject[];
  /** V8's MicrotaskQueue vptr and field offsets, when the binary exports them. */
  readonly microtaskQueue?: () => { readonly vptr: number; readonly offsets: MicrotaskQueueOffsets } | undefined;
  readonly onProgress?: (fraction: number, what: string) => void;
}

/** Role: Node's native runtime state of one target, each part computed once. */
export class NodeRuntime {
  private offsetsCache: NodeOffsets | { readonly missing: readonly string[] } | undefined;
  private loopCache: { loop: UvLoop | undefined; problem?: string } | undefined;
  private envCache: EnvironmentSearch | undefined;
  private vtableCache: ReadonlyMap<number, readonly number[]> | undefined;
  private readonly queues = new Map<string, WrapQueue>();

  constructor(private readonly inputs: NodeRuntimeInputs) {}

  /** The nodedbg_ offsets, or the rows that are missing. */
  offsets(): NodeOffsets | { readonly missing: readonly string[] } {
    this.offsetsCache ??= nodeOffsets(this.inputs.heap.layout);
    return this.offsetsCache;
  }

  private symbol(name: string): ElfSymbol | undefined {
    return this.inputs.symbols.find((s) => s.name === name && s.shndx !== 0);
  }

  /** libuv's default loop walked, or why it could not be. */
  defaultLoop(): { loop: UvLoop | undefined; problem?: string } {
    if (this.loopCache === undefined) {
      const s = this.symbol(DEFAULT_LOOP_SYMBOL);
      if (s === undefined) this.loopCache = { loop: undefined, problem: `the node binary has no ${DEFAULT_LOOP_SYMBOL} symbol` };
      else if (s.size !== UV.loop_size.value) this.loopCache = { loop: undefined, problem: `uv_loop_t is ${s.size} bytes here, not the ${UV.loop_size.value} this libuv layout reads` };
      else this.loopCache = { loop: walkUvLoop(this.inputs.space, s.value + this.inputs.bias) };
    }
    return this.loopCache;
  }

  /** Objects found by their vtables: Environments, Workers and MicrotaskQueues (one scan of writable memory). */
  vtableObjects(): ReadonlyMap<number, readonly number[]> {
    if (this.vtableCache === undefined) {
      const vptrs = [ENVIRONMENT_VTABLE, WORKER_VTABLE].map((n) => this.symbol(n)).filter((s): s is ElfSymbol => s !== undefined).map((s) => vptrOf(s.value + this.inputs.bias));
      const mq = this.inputs.microtaskQueue?.();
      if (mq !== undefined) vptrs.push(mq.vptr);
      const onProgress = this.inputs.onProgress;
      this.vtableCache = scanVtables(this.inputs.space, vptrs, onProgress ? { onProgress: (d, t) => onProgress(t > 0 ? d / t : 1, 'scanning for Environments') } : {});
    }
    return this.vtableCache;
  }

  /** Every V8 MicrotaskQueue (found by its vtable) with its pending tasks, in run order. */
  microtaskQueues(): { readonly address: number; readonly tasks: readonly HeapObject[] }[] {
    const mq = this.inputs.microtaskQueue?.();
    if (mq === undefined) return [];
    const out: { address: number; tasks: HeapObject[] }[] = [];
    for (const q of this.vtableObjects().get(mq.vptr) ?? []) {
      const tasks = pendingMicrotasks(this.inputs.space, this.inputs.heap, q, mq.offsets);
      if (tasks !== undefined) out.push({ address: q, tasks });
    }
    return out;
  }

  /** The vptr of a class whose vtable symbol the binary has. */
  vptr(name: string): number | undefined {
    const s = this.symbol(name);
    return s === undefined ? undefined : vptrOf(s.value + this.inputs.bias);
  }

  /** Every Environment, by both routes, main first; undefined offsets make it empty. */
  environments(): EnvironmentSearch | { readonly missing: readonly string[] } {
    const off = this.offsets();
    if ('missing' in off) return off;
    if (this.envCache === undefined) {
      const vptr = this.vptr(ENVIRONMENT_VTABLE);
      const hits = vptr === undefined ? undefined : this.vtableObjects().get(vptr);
      const loop = this.symbol(DEFAULT_LOOP_SYMBOL);
      this.envCache = findEnvironments({
        space: this.inputs.space,
        heap: this.inputs.heap,
        offsets: off,
        probes: this.inputs.probes(),
        ...(hits !== undefined ? { vtableHits: hits } : {}),
        ...(vptr !== undefined ? { vptr } : {}),
        ...(loop !== undefined ? { defaultLoop: loop.value + this.inputs.bias } : {}),
      });
    }
    return this.envCache;
  }

  /** The handle or request wrap queue of the Environment at `env`. */
  wrapQueue(env: number, kind: 'handle' | 'req'): WrapQueue {
    const off = this.offsets();
    if ('missing' in off) return { wraps: [], problem: `missing Node metadata: ${off.missing.join(', ')}` };
    const key = `${kind}:${env}`;
    let q = this.queues.get(key);
    if (q === undefined) {
      q = walkWrapQueue(this.inputs.space, this.inputs.heap, off, env, kind);
      this.queues.set(key, q);
    }
    return q;
  }

  /** The uv_req_t a ReqWrap embeds, decoded, or undefined. */
  request(wrap: number): UvRequest | undefined {
    const off = this.offsets();
    return 'missing' in off ? undefined : requestOfWrap(this.inputs.space, off, wrap);
  }

  /** The loop at `address` walked (a Worker's loop, found from its Environment). */
  loopAt(address: number): UvLoop {
    const main = this.defaultLoop().loop;
    return main !== undefined && main.address === address ? main : walkUvLoop(this.inputs.space, address);
  }
}
