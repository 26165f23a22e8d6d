// Text rendering of StackGroupsResult in the manner of MDB's ::stacks: per group the thread
// count, the thread ids and names, then the stack once, as `stack` prints a thread's frames.
import type { StackGroupsResult } from '../../analysis/stacks/stack-groups.js';
import { frameLines, type StackTextOptions } from '../stack-text.js';
import type { Style } from '../style.js';

/** Most thread ids listed on a group's header line before "…". */
const MAX_TIDS = 32;

/** Renders every group of coalesced threads. */
export function renderStackGroups(r: StackGroupsResult, style: Style, opts: StackTextOptions): string {
  if (r.groups.length === 0) return 'no thread matches\n';
  const total = r.groups.reduce((a, g) => a + g.count, 0);
  const head = `${total} thread${total === 1 ? '' : 's'} in ${r.groups.length} group${r.groups.length === 1 ? '' : 's'} (grouped by frame names)\n\n`;
  return (
    head +
    r.groups
      .map((g) => {
        const names = [...new Set(g.threads.map((t) => t.name))].join(', ');
        const tids = g.threads.slice(0, MAX_TIDS).map((t) => t.tid).join(' ') + (g.count > MAX_TIDS ? ' …' : '');
        const title = style.bold(`${g.count} thread${g.count === 1 ? '' : 's'} (${names})`);
        return [title, style.dim(`  tids: ${tids}`), ...frameLines(g, style, opts)].join('\n') + '\n';
      })
      .join('\n')
  );
}
