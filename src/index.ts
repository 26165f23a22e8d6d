// nodescope's programmatic API: open a core or a live process as a Session, then run the same
// analyses the CLI runs. Results are plain data (the shapes `--json` prints).
import { Session } from './analysis/session.js';
import type { OpenCoreOptions } from './target/core/core-target.js';

export { Session } from './analysis/session.js';
export { stackAnalysis, threadStacks, type StackOptions } from './analysis/stack.js';
export type { StackResult, ThreadStack, StackFrame, StackValue } from './analysis/stack-model.js';
export { frameReport, type FrameReport } from './analysis/frame-report.js';
export { layoutInfo, type LayoutInfo } from './analysis/layout-info.js';
export { inspectValue, type InspectOptions } from './analysis/inspect/inspect-value.js';
export type { ValueNode } from './analysis/inspect/value-node.js';
export { whatIs } from './analysis/inspect/what-is.js';
export { objectsCensus, type CensusResult, type CensusGroupRow, type CensusOptions } from './analysis/census/objects-census.js';
export { censusDiff, type CensusDiffResult } from './analysis/census/census-diff.js';
export { findInstances, type InstancesResult } from './analysis/census/instances.js';
export { functionsCensus, type FunctionsResult } from './analysis/census/functions-census.js';
export { findRefs, type RefsResult } from './analysis/census/refs.js';
export { retainingPath, type PathResult } from './analysis/census/retaining-path.js';
export { snapshotProcess } from './target/live/snapshot-process.js';
export { NodescopeError, ReadFault, FormatError, MissingConstant, CorruptObject, TargetError, UsageError } from './util/errors.js';

/** Opens a core file (the node binary is found from the core unless `binary` is given). */
export function openCore(path: string, opts: OpenCoreOptions = {}): Session {
  return Session.openCore(path, opts);
}

/** Snapshots a live Node process (it keeps running) and opens the snapshot; close() deletes it. */
export function openProcess(pid: number): Promise<Session> {
  return Session.openProcess(pid);
}
