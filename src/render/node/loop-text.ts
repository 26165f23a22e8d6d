// Text of the event-loop results: `handles`, `requests`, `timers`, `queues`, `promises`.
// One aligned row per entry; callbacks as `name (file:line)`; Node's own handles only with -a.
import type { HandleRow, HandlesResult, EnvironmentReport } from '../../analysis/node/handles.js';
import type { CallbackInfo } from '../../analysis/node/js-object.js';
import type { Endpoint } from '../../analysis/node/endpoints.js';
import type { PromisesResult } from '../../analysis/node/promises.js';
import type { QueuedCallback, QueuesResult } from '../../analysis/node/queues.js';
import type { RequestsResult } from '../../analysis/node/requests.js';
import type { TimersResult } from '../../analysis/node/timers.js';
import { padEnd, type Style } from '../style.js';

/** `name (file:line)`, or `(anonymous)`. */
export function callbackText(c: CallbackInfo | undefined, style: Style): string {
  if (c === undefined) return style.dim('(unknown)');
  const where = c.script !== undefined ? style.dim(` (${c.script}${c.line !== undefined ? `:${c.line}` : ''})`) : '';
  return `${style.bold(c.name || '(anonymous)')}${where}`;
}

/** `address:port` of an endpoint. */
export function endpointText(e: Endpoint | undefined): string | undefined {
  if (e === undefined) return undefined;
  if (e.path !== undefined) return e.path;
  return `${e.address ?? '?'}${e.port !== undefined ? `:${e.port}` : ''}`;
}

/** One line about the Environment: where it is, or why it was not found. */
export function environmentLine(e: EnvironmentReport, style: Style): string {
  const lines = [e.address !== undefined ? style.dim(`Environment ${e.address} (found by ${(e.foundBy ?? []).join(' and ')})`) : style.yellow(e.problem ?? 'Environment not found')];
  for (const m of e.mismatches ?? []) lines.push(style.yellow(`warning: ${m}`));
  return lines.join('\n');
}

/** One handle's description: `tcp  fd 22  127.0.0.1:8080 → …  Server 0x…`. */
export function handleText(h: HandleRow, style: Style): string {
  const state = `${h.active ? 'active' : 'inactive'}${h.ref ? '' : ', unref'}${h.closing ? ', closing' : ''}`;
  const parts = [padEnd(style.bold(h.type), 8), padEnd(h.fd !== undefined ? `fd ${h.fd}` : '', 6), padEnd(state, 18)];
  const local = endpointText(h.local);
  const remote = endpointText(h.remote);
  const ends = local !== undefined || remote !== undefined ? `${local ?? '?'}${remote !== undefined ? ` → ${remote}` : ''}` : '';
  const extra = [ends, h.pid !== undefined ? `pid ${h.pid}` : '', h.signal !== undefined ? `signal ${h.signal}` : '', h.dueInMs !== undefined ? `due in ${h.dueInMs} ms` : ''].filter((x) => x !== '').join('  ');
  const owner = h.owner !== undefined ? `${h.ownerConstructor ?? '?'} ${style.dim(h.owner)}` : style.dim(h.internal ? '(Node internal)' : '');
  return `${parts.join(' ')} ${padEnd(extra, 34)} ${owner}`.trimEnd();
}

/** Renders `handles`. */
export function renderHandles(r: HandlesResult, style: Style, all: boolean): string {
  const lines = [environmentLine(r.environment, style)];
  if (r.loop.problem !== undefined) lines.push(style.yellow(`libuv loop: ${r.loop.problem}`));
  const shown = r.handles.filter((h) => all || h.internal !== true);
  for (const h of shown) lines.push(`  ${handleText(h, style)}`);
  const hidden = r.handles.length - shown.length;
  if (shown.length === 0) lines.push(style.dim('  (no handles with a JS owner)'));
  lines.push(style.dim(`${r.handles.length} libuv handles${hidden > 0 ? `, ${hidden} of them Node's own (-a shows them)` : ''}; loop ${r.loop.address ?? '?'}: ${r.loop.activeHandles ?? '?'} active handles, ${r.loop.activeRequests ?? '?'} active requests`));
  if (r.wrapsNotOnLoop.length > 0) lines.push(style.yellow(`${r.wrapsNotOnLoop.length} HandleWraps of the Environment are not on the loop: ${r.wrapsNotOnLoop.join(', ')}`));
  for (const w of r.workers) {
    lines.push('', style.bold(`worker Environment ${w.environment.address ?? '?'}`) + style.dim(` (loop ${w.loop?.address ?? 'not found'})`));
    for (const h of w.handles.filter((x) => all || x.internal !== true)) lines.push(`  ${handleText(h, style)}`);
  }
  return lines.join('\n') + '\n';
}

/** Renders `requests`. */
export function renderRequests(r: RequestsResult, style: Style): string {
  const lines = [environmentLine(r.environment, style)];
  for (const q of r.requests) {
    const what = [padEnd(style.bold(q.type), 9), padEnd(q.operation ?? '', 12), q.path ?? (q.handle !== undefined ? `on handle ${q.handle}` : '')].join(' ');
    lines.push(`  ${padEnd(what, 60)} ${q.wrapConstructor ?? ''} ${style.dim(q.wrap)}  → ${callbackText(q.callback, style)}`);
  }
  if (r.requests.length === 0) lines.push(style.dim('  (no pending requests)'));
  if (r.problem !== undefined) lines.push(style.yellow(r.problem));
  return lines.join('\n') + '\n';
}

/** Renders `timers`. */
export function renderTimers(r: TimersResult, style: Style): string {
  const lines: string[] = [];
  if (r.problem !== undefined) lines.push(style.yellow(r.problem));
  lines.push(style.dim(`${'DUE IN'.padStart(10)}  ${'DELAY'.padStart(8)}  ${'REPEAT'.padStart(8)}  REF    CALLBACK`));
  for (const t of r.timers) {
    const due = t.dueInMs !== undefined ? `${t.dueInMs} ms` : '?';
    lines.push(`${due.padStart(10)}  ${`${t.delay}`.padStart(8)}  ${(t.repeat === null ? '-' : `${t.repeat}`).padStart(8)}  ${padEnd(t.ref ? 'yes' : 'unref', 5)}  ${callbackText(t.callback, style)}`);
  }
  lines.push(style.dim(`${r.timers.length} timers${r.now !== undefined ? `; due times count from the loop's clock (uv_now ${r.now} ms)` : ''}`));
  return lines.join('\n') + '\n';
}

function queueLines(title: string, q: readonly QueuedCallback[], style: Style): string[] {
  const lines = [style.bold(`${title} (${q.length})`)];
  for (const e of q) lines.push(`  ${callbackText(e.callback, style)}${e.kind !== undefined ? style.dim(`  [${e.kind}]`) : ''}${e.args ? style.dim(`  ${e.args} args`) : ''}`);
  return lines;
}

/** Renders `queues`, in the order Node drains them. */
export function renderQueues(r: QueuesResult, style: Style): string {
  const lines = [...queueLines('nextTick queue', r.nextTick, style), ...queueLines('microtask queue', r.microtasks, style), ...queueLines('immediates', r.immediates, style)];
  for (const p of r.problems) lines.push(style.yellow(p));
  return lines.join('\n') + '\n';
}

/** Renders `promises`. */
export function renderPromises(r: PromisesResult, style: Style): string {
  const lines = [style.bold(`${r.pending} pending promises`) + style.dim(r.reachable ? ' (reachable only)' : ' (every promise the heap holds, garbage included)')];
  for (const g of r.groups) lines.push(`  ${`${g.count}`.padStart(7)}  ${callbackText(g.handler, style)}${g.onRejected !== undefined ? style.dim(' / on rejection ') + callbackText(g.onRejected, style) : ''}  ${style.dim(g.example)}`);
  lines.push(style.bold(`${r.rejected.length} rejected promises without a handler`));
  for (const x of r.rejected) {
    lines.push(`  ${style.dim(x.address)}  ${style.red(`${x.reason.constructor}${x.reason.message !== '' ? `: ${x.reason.message}` : ''}`)}`);
    for (const l of (x.reason.stack ?? '').split('\n').slice(1, 6)) lines.push(style.dim(`    ${l.trim()}`));
  }
  if (r.unreadable > 0) lines.push(style.yellow(`${r.unreadable} promises could not be read`));
  return lines.join('\n') + '\n';
}
