// Text of `info` and `why`, and the fatal-error header that `stack` prints first: the error as
// V8 prints it (`TypeError: message` then its `    at …` lines), the signal and the thread.
import type { FatalError } from '../../analysis/node/fatal-error.js';
import type { NodeInfo } from '../../analysis/node/node-info.js';
import { fatalSummary, type WhyResult } from '../../analysis/node/why.js';
import { groupLabel } from '../census/census-text.js';
import { padEnd, type Style } from '../style.js';
import { formatBytes, formatCount } from '../units.js';
import { callbackText, endpointText } from './loop-text.js';

/** Most stack lines shown in a header. */
const HEADER_FRAMES = 12;

/** The fatal error block: summary line, signal and thread, then the error's stack (or the thread's JS frames). */
export function renderFatal(f: FatalError, style: Style): string[] {
  const colour = f.kind === 'snapshot' ? style.bold : style.red;
  const lines = [colour(fatalSummary(f))];
  const meta = [f.signal, f.thread !== undefined ? `thread ${f.thread.tid} (${f.thread.name})` : undefined].filter((x) => x !== undefined);
  if (meta.length > 0) lines.push(style.dim(`  ${meta.join(', ')}`));
  const stack = f.error?.stack?.split('\n').slice(1);
  if (stack !== undefined && stack.length > 0) {
    for (const l of stack.slice(0, HEADER_FRAMES)) lines.push(`  ${l.trim()}`);
    if (stack.length > HEADER_FRAMES) lines.push(style.dim(`  … ${stack.length - HEADER_FRAMES} more`));
  } else if (f.error !== undefined) {
    lines.push(style.dim('  (the error carries no stack)'));
  }
  if ((stack === undefined || stack.length === 0) && f.jsFrames.length > 0) {
    lines.push(style.dim(`  JS stack of the ${f.kind === 'snapshot' ? 'main' : 'crashing'} thread:`));
    for (const j of f.jsFrames.slice(0, HEADER_FRAMES)) lines.push(`  at ${j.function || '(anonymous)'} (${j.file}${j.line !== undefined ? `:${j.line}` : ''})`);
  }
  return lines;
}

/** Renders `info`. */
export function renderInfo(r: NodeInfo, style: Style): string {
  const row = (k: string, v: string | undefined): string => `${style.bold(padEnd(k, 10))} ${v ?? style.dim('unknown')}`;
  const lines = [
    row('pid', String(r.pid)),
    row('node', r.node.version),
    row('v8', r.v8.version),
    row('libuv', r.uv.version),
    row('execPath', r.execPath),
    row('argv', r.argv?.join(' ')),
    row('execArgv', r.execArgv !== undefined ? (r.execArgv.length > 0 ? r.execArgv.join(' ') : style.dim('(none)')) : undefined),
    row('cwd', r.cwd ?? style.dim('not cached (the program never called process.cwd())')),
  ];
  if (r.heap !== undefined) lines.push(row('heap', `${formatBytes(r.heap.bytes)} committed: ${r.heap.spaces.map((s) => `${s.space} ${formatBytes(s.bytes)}`).join(', ')}`));
  lines.push(row('env', r.environment.address !== undefined ? `${r.environment.address} (found by ${(r.environment.foundBy ?? []).join(' and ')})` : style.yellow(r.environment.problem ?? 'not found')));
  if (r.workers.length > 0) lines.push(row('workers', r.workers.join(', ')));
  lines.push('', ...renderFatal(r.fatal, style));
  for (const p of r.problems) lines.push(style.yellow(p));
  return lines.join('\n') + '\n';
}

/** Renders `why`: one page. */
export function renderWhy(r: WhyResult, style: Style): string {
  const lines = [...renderFatal(r.fatal, style), ''];
  const l = r.loop;
  if (l !== undefined) {
    lines.push(style.bold('event loop') + style.dim(l.alive ? ' (something ref\'d keeps it alive)' : ' (nothing ref\'d keeps it alive)'));
    for (const h of l.handles) {
      const ends = h.remote !== undefined ? `${endpointText(h.local) ?? '?'} → ${endpointText(h.remote)}` : (endpointText(h.local) ?? '');
      lines.push(`  ${padEnd(h.type, 8)} ${padEnd(h.ownerConstructor ?? '', 13)} ${[ends, h.pid !== undefined ? `pid ${h.pid}` : '', h.fd !== undefined ? `fd ${h.fd}` : '', h.ref ? '' : 'unref'].filter((x) => x !== '').join('  ')}`);
    }
    if (l.internalHandles > 0) lines.push(style.dim(`  + ${l.internalHandles} of Node's own handles`));
    for (const q of l.requests) lines.push(`  ${padEnd('request', 8)} ${padEnd(q.type, 13)} ${q.path ?? ''}${q.callback !== undefined ? style.dim(` → ${q.callback}`) : ''}`);
    const next = l.nextTimer !== undefined ? `, next ${callbackText(l.nextTimer.callback, style)} ${l.nextTimer.dueInMs !== undefined ? `in ${l.nextTimer.dueInMs} ms` : `(delay ${l.nextTimer.delay} ms)`}` : '';
    lines.push(`  ${formatCount(l.timers)} ${l.timers === 1 ? 'timer' : 'timers'}${next}`);
    lines.push(`  queued: ${l.nextTick} nextTick, ${l.microtasks} microtasks, ${l.immediates} immediates`);
  }
  if (r.heap !== undefined) {
    lines.push('', style.bold('largest heap groups') + style.dim(` (of ${formatBytes(r.heap.total.bytes)} in ${formatCount(r.heap.total.count)} objects)`));
    for (const g of r.heap.groups) lines.push(`  ${formatBytes(g.bytes).padStart(9)}  ${formatCount(g.count).padStart(9)}  ${groupLabel(g.constructor, g.properties, style)}`);
  }
  if (r.problems.length > 0) lines.push('');
  for (const p of r.problems) lines.push(style.yellow(p));
  return lines.join('\n') + '\n';
}
