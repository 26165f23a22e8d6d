// `whatIs`: says what an address is when it is not the start of a heap object (mdb_v8 ::v8whatis),
// as plain data for the renderer: inside which object and at which offset, or not in the core.
import type { Session } from '../session.js';
import { locateObject, type ObjectLocation } from '../../v8/objects/object-start.js';
import type { V8Heap } from '../../v8/heap/v8-heap.js';

/** Role: what an address is, with the containing object's V8 class name when there is one. */
export type WhatIs = ObjectLocation & { readonly typeName?: string };

/** Locates `address` in the session's heap. */
export function whatIs(session: Session, address: number): WhatIs {
  return whatIsIn(session.heap(), address);
}

/** Locates `address` in `heap` (the session-free form, for tests and other analyses). */
export function whatIsIn(heap: V8Heap, address: number): WhatIs {
  const loc = locateObject(heap, address);
  if (loc.kind === 'object' || loc.kind === 'inside' || loc.kind === 'maybe-inside') {
    return { ...loc, typeName: heap.layout.types.className(loc.type) ?? heap.typeName(loc.type) };
  }
  return loc;
}
