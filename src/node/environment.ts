// Finds node::Environment objects two independent ways and cross-checks them: (1) from a
// Context (a frame's function, a thrown value): its NativeContext's embedder data slot
// ContextEmbedderIndex::kEnvironment holds the Environment*; (2) a scan of writable memory for
// the vtable of node::Environment, which needs no JS frame and also finds Workers'. The main
// thread's Environment is the one whose embedded uv handles are on libuv's default loop.
import type { AddressSpace } from '../target/address-space.js';
import type { HeapObject, V8Heap } from '../v8/heap/v8-heap.js';
import { embedderDataSlot, nativeContextOf } from '../v8/objects/native-context.js';
import type { NodeOffsets } from './node-offsets.js';
import { readUvHandle, walkUvLoop, type UvLoop } from './uv-loop.js';
import { UV } from './uv-layout.js';

/** Role: how an Environment was found. */
export type EnvironmentRoute = 'context' | 'vtable';

/** Role: one Environment with the routes that found it and the loop it runs on. */
export interface FoundEnvironment {
  readonly address: number;
  readonly routes: readonly EnvironmentRoute[];
  /** True for the main thread's Environment (its handles are on the default loop). */
  readonly main: boolean;
  /** A NativeContext whose embedder data names it, when one was seen. */
  readonly nativeContext?: number;
  /** The `uv_loop_t*` of its event loop, when found from its embedded handles. */
  readonly loop?: number;
}

/** Role: what the search needs from the session. */
export interface EnvironmentInputs {
  readonly space: AddressSpace;
  readonly heap: V8Heap;
  readonly offsets: NodeOffsets;
  /** Objects to start route 1 from: frame functions, contexts, thrown values. */
  readonly probes: readonly HeapObject[];
  /** Environment objects found by their vtable (route 2), when the binary has the symbol. */
  readonly vtableHits?: readonly number[];
  /** The vptr of node::Environment, to check route-1 pointers against. */
  readonly vptr?: number;
  /** Address of libuv's default_loop_struct. */
  readonly defaultLoop?: number;
}

/** Role: every Environment found, the route-1 and route-2 results, and their disagreement. */
export interface EnvironmentSearch {
  readonly environments: readonly FoundEnvironment[];
  /** Addresses found by one route that the other route should have found but did not. */
  readonly mismatches: readonly string[];
}

/** Most probes tried for route 1. */
const MAX_PROBES = 64;

function pointer(space: AddressSpace, a: number): number | undefined {
  const b = space.tryRead(a, 8);
  if (b === undefined) return undefined;
  const hi = b.readUInt32LE(4);
  return hi >= 0x200000 ? undefined : hi * 0x1_0000_0000 + b.readUInt32LE(0);
}

/** Whether `env` looks like an Environment: its vptr (when known) and a readable handle-wrap queue head. */
function plausible(inp: EnvironmentInputs, env: number): boolean {
  if (env === 0 || env % 8 !== 0) return false;
  if (inp.vptr !== undefined && pointer(inp.space, env) !== inp.vptr) return false;
  const head = env + inp.offsets.handleWrapQueue + inp.offsets.handleQueueHead;
  return pointer(inp.space, head + inp.offsets.handleNext) !== undefined;
}

/**
 * The loop an Environment's embedded uv handles (timer, check, idle, prepare, async) are on:
 * the first word pair within the Environment, before its wrap queues, that reads as a handle
 * whose loop's handle queue is readable.
 */
function embeddedLoop(inp: EnvironmentInputs, env: number, loops: Map<number, UvLoop>): number | undefined {
  const end = env + Math.min(inp.offsets.handleWrapQueue, inp.offsets.reqWrapQueue);
  for (let h = env + 8; h + UV.handle_size.value <= end; h += 8) {
    const loop = pointer(inp.space, h + UV.handle_loop.value);
    if (loop === undefined || loop === 0 || loop % 8 !== 0) continue;
    const handle = readUvHandle(inp.space, h, loop);
    if (handle === undefined || !['timer', 'check', 'idle', 'prepare', 'async'].includes(handle.type)) continue;
    let walked = loops.get(loop);
    if (walked === undefined) {
      walked = walkUvLoop(inp.space, loop);
      loops.set(loop, walked);
    }
    if (walked.handles.some((x) => x.address === h)) return loop;
  }
  return undefined;
}

/** Finds every Environment by both routes and tells which one is the main thread's. */
export function findEnvironments(inp: EnvironmentInputs): EnvironmentSearch {
  const byContext = new Map<number, number>();
  for (const p of inp.probes.slice(0, MAX_PROBES)) {
    const nc = nativeContextOf(inp.heap, p);
    if (nc === undefined || [...byContext.values()].includes(nc.address)) continue;
    const env = embedderDataSlot(inp.heap, nc, inp.offsets.envIndex);
    if (env !== undefined && plausible(inp, env) && !byContext.has(env)) byContext.set(env, nc.address);
  }
  const byVtable = new Set((inp.vtableHits ?? []).filter((e) => plausible(inp, e)));
  const all = [...new Set([...byContext.keys(), ...byVtable])];
  const loops = new Map<number, UvLoop>();
  const mismatches: string[] = [];
  if (inp.vtableHits !== undefined) {
    for (const e of byContext.keys()) if (!byVtable.has(e)) mismatches.push(`0x${e.toString(16)} was found from a context but not by the vtable scan`);
  }
  const environments = all.map((address): FoundEnvironment => {
    const loop = embeddedLoop(inp, address, loops);
    const nc = byContext.get(address);
    const routes: EnvironmentRoute[] = [...(nc !== undefined ? (['context'] as const) : []), ...(byVtable.has(address) ? (['vtable'] as const) : [])];
    return { address, routes, main: loop !== undefined && loop === inp.defaultLoop, ...(nc !== undefined ? { nativeContext: nc } : {}), ...(loop !== undefined ? { loop } : {}) };
  });
  // Without a default loop to compare with, the Environment found from a context is the main one.
  if (!environments.some((e) => e.main) && environments.length > 0) {
    const first = environments.find((e) => e.nativeContext !== undefined) ?? environments[0]!;
    environments[environments.indexOf(first)] = { ...first, main: true };
  }
  environments.sort((a, b) => Number(b.main) - Number(a.main) || a.address - b.address);
  return { environments, mismatches };
}
