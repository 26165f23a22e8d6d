// Node's postmortem metadata (the nodedbg_* rows of the constant table, read from target memory)
// as one typed record, or the names of the rows that are missing. Values are never literals:
// they move between Node releases, even patch releases of one major.
import type { V8Layout } from '../v8/layout/v8-layout.js';

/** Role: the nodedbg_ offsets the Environment and queue walks read. */
export interface NodeOffsets {
  readonly envIndex: number;
  readonly persistentHandle: number;
  readonly handleWrapQueue: number;
  readonly reqWrapQueue: number;
  readonly handleQueueHead: number;
  readonly reqQueueHead: number;
  readonly handleWrapNode: number;
  readonly reqWrapNode: number;
  readonly handleNext: number;
  readonly reqNext: number;
}

const ROWS = {
  envIndex: 'ContextEmbedderIndex_kEnvironment',
  persistentHandle: 'BaseObject_persistent_handle',
  handleWrapQueue: 'Environment_handle_wrap_queue',
  reqWrapQueue: 'Environment_req_wrap_queue',
  handleQueueHead: 'HandleWrapQueue_head',
  reqQueueHead: 'ReqWrapQueue_head',
  handleWrapNode: 'HandleWrap_handle_wrap_queue',
  reqWrapNode: 'ReqWrap_req_wrap_queue',
  handleNext: 'ListNode_HandleWrap_next',
  reqNext: 'ListNode_ReqWrap_next',
} as const satisfies Record<keyof NodeOffsets, keyof V8Layout['opt']>;

/** Largest offset believed (an Environment is a few KiB). */
const MAX_OFFSET = 1 << 16;

/** The Node offsets of a layout, or the list of rows that are missing or implausible. */
export function nodeOffsets(layout: V8Layout): NodeOffsets | { readonly missing: readonly string[] } {
  const out: Partial<Record<keyof NodeOffsets, number>> = {};
  const missing: string[] = [];
  for (const [key, row] of Object.entries(ROWS) as [keyof NodeOffsets, keyof V8Layout['opt']][]) {
    const v = layout.opt[row];
    if (v === undefined || v < 0 || v > MAX_OFFSET) missing.push(row);
    else out[key] = v;
  }
  return missing.length > 0 ? { missing } : (out as NodeOffsets);
}
