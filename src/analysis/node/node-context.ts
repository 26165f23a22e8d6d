// Where the Node-state analyses start: the main Environment and the Workers' (src/node), the main
// realm's NativeContext and global object, and module state reached by name: a global function
// (setTimeout, queueMicrotask) closes over its module's scope, whose ScopeInfo names the
// variables (timerListQueue, queue, …). No offsets into JS structures.
import { hex } from '../../util/hex.js';
import type { FoundEnvironment } from '../../node/environment.js';
import type { Tagged } from '../../v8/heap/tagged.js';
import type { HeapObject } from '../../v8/heap/v8-heap.js';
import { contextChain } from '../../v8/objects/context-chain.js';
import { globalObjectOf, nativeContextOf } from '../../v8/objects/native-context.js';
import type { Session } from '../session.js';
import { frameProbes } from './frame-probes.js';
import { getterOf, prop } from './js-object.js';

/** Role: the main realm as the analyses see it; `problem` says in one line what could not be found. */
export interface NodeContext {
  readonly environment?: FoundEnvironment;
  readonly workers: readonly FoundEnvironment[];
  readonly nativeContext?: HeapObject;
  readonly global?: HeapObject;
  /** Why the Environment could not be found, when it could not. */
  readonly problem?: string;
  /** Disagreements between the two ways of finding Environments. */
  readonly mismatches: readonly string[];
}

/** Finds the main Environment, the Workers' and the main NativeContext of the session. */
export function nodeContext(session: Session): NodeContext {
  const heap = session.heap();
  const node = session.node();
  const found = node.environments();
  let environment: FoundEnvironment | undefined;
  let workers: FoundEnvironment[] = [];
  let problem: string | undefined;
  let mismatches: readonly string[] = [];
  if ('missing' in found) problem = `Environment not found: the node binary lacks ${found.missing.join(', ')}`;
  else {
    environment = found.environments.find((e) => e.main);
    workers = found.environments.filter((e) => !e.main);
    mismatches = found.mismatches;
    if (environment === undefined) problem = 'Environment not found: no JS frame leads to one and no node::Environment vtable is in writable memory';
  }
  let nc = environment?.nativeContext !== undefined ? heap.object(environment.nativeContext) : undefined;
  if (nc === undefined && environment !== undefined) {
    for (const w of node.wrapQueue(environment.address, 'handle').wraps) {
      nc = w.object !== undefined ? nativeContextOf(heap, w.object) : undefined;
      if (nc !== undefined) break;
    }
  }
  // Without an Environment, any JS frame still leads to a realm (timers and queues are JS).
  if (nc === undefined) for (const p of frameProbes(session)) if ((nc = nativeContextOf(heap, p)) !== undefined) break;
  const global = nc === undefined ? undefined : globalObjectOf(heap, nc);
  return {
    ...(environment !== undefined ? { environment } : {}),
    workers,
    ...(nc !== undefined ? { nativeContext: nc } : {}),
    ...(global !== undefined ? { global } : {}),
    ...(problem !== undefined ? { problem } : {}),
    mismatches,
  };
}

/** A variable of the module scope that the function `holder[fnName]` (a method or getter) closes over, or undefined. */
export function moduleVariable(session: Session, holder: HeapObject | undefined, fnName: string, variable: string): Tagged | undefined {
  const heap = session.heap();
  const fn = heap.objectOf(prop(heap, holder, fnName)) ?? getterOf(heap, holder, fnName);
  if (fn === undefined || !heap.isJSFunction(fn.type)) return undefined;
  const ctx = heap.objectField(fn.address, heap.layout.req.JSFunction_context);
  if (ctx === undefined) return undefined;
  for (const scope of contextChain(heap, ctx)) {
    const v = scope.variables.find((x) => x.name === variable);
    if (v !== undefined) return v.value;
  }
  return undefined;
}

/** The `process` object of the realm (the global getter's closure, or task_queues' module scope). */
export function processObject(session: Session, ctx: Pick<NodeContext, 'global'>): HeapObject | undefined {
  const heap = session.heap();
  for (const [fn, v] of [['process', '_process'], ['process', 'process'], ['queueMicrotask', 'process']] as const) {
    const o = heap.objectOf(moduleVariable(session, ctx.global, fn, v));
    if (o !== undefined && heap.isJSReceiver(o.type)) return o;
  }
  return undefined;
}

/** The main realm's global object found from JS frames alone (no Environment, no memory scan). */
export function frameRealm(session: Session): Pick<NodeContext, 'global' | 'nativeContext'> {
  const heap = session.heap();
  for (const p of frameProbes(session)) {
    const nc = nativeContextOf(heap, p);
    const global = nc === undefined ? undefined : globalObjectOf(heap, nc);
    if (nc !== undefined && global !== undefined) return { nativeContext: nc, global };
  }
  return {};
}

/** One line naming an Environment: address, how it was found. */
export function environmentLabel(e: FoundEnvironment): string {
  return `${hex(e.address)} (found by ${e.routes.join(' and ')})`;
}
