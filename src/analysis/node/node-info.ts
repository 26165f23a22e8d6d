// `info` (llnode nodeinfo): who the process was and how it ended: pid, Node / V8 / libuv
// versions, argv, execArgv, execPath and cwd (from the `process` object; cwd only once the
// program asked for it, when Node caches it), the V8 heap by space (from the page headers),
// the Environments and the fatal error. Each part that cannot be read says so in `problems`.
import { discoverPages, pageLayout } from '../../v8/pages/heap-pages.js';
import { readElements } from '../../v8/objects/elements.js';
import type { HeapObject, V8Heap } from '../../v8/heap/v8-heap.js';
import type { Session } from '../session.js';
import { fatalError, type FatalError } from './fatal-error.js';
import { environmentReport, type EnvironmentReport } from './handles.js';
import { objectProp, prop, stringOf } from './js-object.js';
import { moduleVariable, nodeContext, processObject, type NodeContext } from './node-context.js';
import { hex } from '../../util/hex.js';

/** Role: one heap space's committed pages. */
export interface HeapSpaceUse {
  /** new (the young generation's to-space), old (regular pages), large objects, read-only. */
  readonly space: string;
  readonly pages: number;
  readonly bytes: number;
}

/** Role: the whole result of `info` (the documented --json contract). */
export interface NodeInfo {
  readonly pid: number;
  readonly node: { readonly version?: string };
  readonly v8: { readonly version?: string };
  readonly uv: { readonly version?: string };
  readonly argv?: readonly string[];
  readonly execArgv?: readonly string[];
  readonly execPath?: string;
  readonly cwd?: string;
  readonly heap?: { readonly spaces: readonly HeapSpaceUse[]; readonly bytes: number };
  readonly environment: EnvironmentReport;
  readonly workers: readonly string[];
  readonly fatal: FatalError;
  /** What could not be read, one line each. */
  readonly problems: readonly string[];
}

function stringArray(heap: V8Heap, o: HeapObject | undefined): string[] | undefined {
  if (o === undefined || o.type !== heap.types.JS_ARRAY) return undefined;
  const at = heap.layout.opt.JSArray_length;
  const n = at === undefined ? undefined : heap.smiField(o.address, at);
  if (n === undefined || n < 0) return undefined;
  const out: string[] = [];
  for (const e of readElements(heap, o, Math.min(n, 4096), n).items) if (e.kind === 'tagged') out.push(stringOf(heap, e.value) ?? '');
  return out;
}

/** The V8 heap's committed pages by space. */
export function heapUse(session: Session): { spaces: HeapSpaceUse[]; bytes: number } | string {
  const pl = pageLayout(session.layout());
  if (typeof pl === 'string') return pl;
  const pages = discoverPages(session.target.space, pl);
  const by = new Map<string, { pages: number; bytes: number }>();
  for (const p of pages.pages) {
    const space = p.kind === 'to-space' ? 'new' : p.kind === 'from-space' ? 'new (from-space)' : p.kind === 'read-only' ? 'read-only' : p.size > pages.pageSize ? 'large objects' : 'old';
    const s = by.get(space) ?? { pages: 0, bytes: 0 };
    s.pages++;
    s.bytes += p.size;
    by.set(space, s);
  }
  const spaces = [...by].map(([space, s]) => ({ space, ...s }));
  return { spaces, bytes: spaces.reduce((a, s) => a + s.bytes, 0) };
}

/** The `info` analysis. */
export function nodeInfo(session: Session, ctx: NodeContext = nodeContext(session)): NodeInfo {
  const heap = session.heap();
  const problems: string[] = [];
  if (ctx.problem !== undefined) problems.push(ctx.problem);
  const proc = processObject(session, ctx);
  if (proc === undefined) problems.push('the process object was not found (no JS realm): argv and versions come from the core alone');
  const versions = objectProp(heap, proc, 'versions');
  const nodeVersion = stringOf(heap, prop(heap, proc, 'version'))?.replace(/^v/, '') ?? stringOf(heap, prop(heap, versions, 'node'));
  const uvVersion = stringOf(heap, prop(heap, versions, 'uv'));
  const argv = stringArray(heap, objectProp(heap, proc, 'argv'));
  const execArgv = stringArray(heap, objectProp(heap, proc, 'execArgv'));
  const execPath = stringOf(heap, prop(heap, proc, 'execPath'));
  // lib/internal/bootstrap/switches/does_own_process_state.js caches process.cwd() in `cachedCwd`.
  const cwd = proc === undefined ? undefined : stringOf(heap, moduleVariable(session, proc, 'cwd', 'cachedCwd'));
  const use = heapUse(session);
  if (typeof use === 'string') problems.push(`heap spaces: ${use}`);
  const commandLine = session.target.commandLine.trim();
  return {
    pid: session.target.pid,
    node: { ...(nodeVersion !== undefined ? { version: nodeVersion } : {}) },
    v8: { ...(session.layout().v8Version !== undefined ? { version: session.layout().v8Version } : {}) },
    uv: { ...(uvVersion !== undefined ? { version: uvVersion } : {}) },
    ...(argv !== undefined ? { argv } : commandLine !== '' ? { argv: commandLine.split(/\s+/) } : {}),
    ...(execArgv !== undefined ? { execArgv } : {}),
    ...(execPath !== undefined ? { execPath } : {}),
    ...(cwd !== undefined && cwd !== '' ? { cwd } : {}),
    ...(typeof use !== 'string' ? { heap: use } : {}),
    environment: environmentReport(ctx),
    workers: ctx.workers.map((w) => hex(w.address)),
    fatal: fatalError(session),
    problems,
  };
}

