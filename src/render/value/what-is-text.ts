// One-line text of a whatIs answer, e.g. "0x… is not the start of a heap object; it lies 24
// bytes inside a JSArray at 0x…" (the bar set by mdb_v8's ::v8whatis).
import type { WhatIs } from '../../analysis/inspect/what-is.js';

/** Renders where an address lies. */
export function renderWhatIs(w: WhatIs): string {
  const a = `0x${w.address.toString(16)}`;
  switch (w.kind) {
    case 'object':
      return `${a} is a ${w.typeName ?? 'heap object'}`;
    case 'inside':
      return `${a} is not the start of a heap object; it lies ${w.offset} bytes inside a ${w.typeName ?? 'heap object'} at 0x${w.object.toString(16)} (${w.size} bytes)`;
    case 'maybe-inside':
      return `${a} is not the start of a heap object; it may lie ${w.offset} bytes inside a ${w.typeName ?? 'heap object'} at 0x${w.object.toString(16)} (whose size is unknown)`;
    case 'no-object':
      return `${a} is not the start of a heap object, and no heap object around it covers it${w.mapping !== undefined ? ` (mapped from ${w.mapping})` : ''}`;
    case 'unmapped':
      return `${a} is not in the core (no mapping holds it)`;
  }
}
