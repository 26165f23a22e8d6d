// Scenario: heap-census: builds a known heap (class instances, a constructor function's
// instances, plain objects of distinct shapes, dictionary-mode objects, tagged arrays, closures,
// Map/Set subclasses, strings of every representation, Buffers and typed arrays), then records
// V8's own count of every constructor from v8.writeHeapSnapshot(), then leaves garbage: instances
// promoted to the old generation and dropped, which no GC has collected when the core is taken.
// nodescope-hold: wait
// nodescope-flags: --expose-gc
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const v8 = require('v8');
const kit = require('./lib/kit.js');

const COUNTS = {
  RequestContext: 12345,
  Legacy: 2345,
  shapeA: 3001,
  shapeB: 1500,
  dictionary: 777,
  taggedArrays: 999,
  countHit: 4321,
  TrackedMap: 111,
  TrackedSet: 222,
  buffers: 55,
  float64Arrays: 66,
  consStrings: 400,
  slicedStrings: 300,
  twoByteStrings: 200,
  garbageRequestContext: 1000,
};

class RequestContext {
  constructor(id) {
    this.id = id;
    this.url = `/orders/${id}`;
    this.startedAt = 1700000000000 + id;
    this.tags = null;
  }
}

function Legacy(x) {
  this.x = x;
  this.y = x * 2;
}

class TrackedMap extends Map {}
class TrackedSet extends Set {}

function makeHit(n) {
  return function countHit() {
    return n++;
  };
}

const keep = {};

function build() {
  keep.contexts = [];
  for (let i = 0; i < COUNTS.RequestContext; i++) keep.contexts.push(new RequestContext(i));
  keep.legacy = [];
  for (let i = 0; i < COUNTS.Legacy; i++) keep.legacy.push(new Legacy(i));
  // Shapes are built by assignment: an object literal would add its boilerplate object.
  keep.shapeA = [];
  for (let i = 0; i < COUNTS.shapeA; i++) {
    const o = {};
    o.censusAlpha = i;
    o.censusBeta = i + 1;
    keep.shapeA.push(o);
  }
  keep.shapeB = [];
  for (let i = 0; i < COUNTS.shapeB; i++) {
    const o = {};
    o.censusName = `n${i}`;
    o.censusValue = i;
    o.censusExtra = true;
    keep.shapeB.push(o);
  }
  keep.dictionary = [];
  for (let i = 0; i < COUNTS.dictionary; i++) {
    const o = {};
    o.censusDictA = i;
    o.censusDictB = i;
    o.censusDictGone = i;
    o.censusDictC = i;
    delete o.censusDictGone; // deleting a property that is not the last one makes V8 normalise the object
    keep.dictionary.push(o);
  }
  keep.arrays = [];
  for (let i = 0; i < COUNTS.taggedArrays; i++) {
    const a = [i, i + 1];
    a.censusTag = i;
    keep.arrays.push(a);
  }
  keep.hits = [];
  for (let i = 0; i < COUNTS.countHit; i++) keep.hits.push(makeHit(i));
  keep.maps = [];
  for (let i = 0; i < COUNTS.TrackedMap; i++) keep.maps.push(new TrackedMap([[i, i]]));
  keep.sets = [];
  for (let i = 0; i < COUNTS.TrackedSet; i++) keep.sets.push(new TrackedSet([i]));
  keep.buffers = [];
  for (let i = 0; i < COUNTS.buffers; i++) keep.buffers.push(Buffer.alloc(100, i));
  keep.floats = [];
  for (let i = 0; i < COUNTS.float64Arrays; i++) keep.floats.push(new Float64Array(8));
  const long = 'census-long-string-'.repeat(20);
  keep.cons = [];
  for (let i = 0; i < COUNTS.consStrings; i++) keep.cons.push(long + String(i).padStart(16, '#'));
  keep.sliced = [];
  for (let i = 0; i < COUNTS.slicedStrings; i++) keep.sliced.push(long.slice(i % 7, 200 + (i % 50)));
  keep.twoByte = [];
  for (let i = 0; i < COUNTS.twoByteStrings; i++) keep.twoByte.push(`census-\u2603-${i}`.repeat(2));
}

/** V8's own count of nodes per (type, name) from a heap snapshot written now. */
function snapshotCounts() {
  const file = path.join(os.tmpdir(), `nodescope-census-${process.pid}.heapsnapshot`);
  v8.writeHeapSnapshot(file);
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.unlinkSync(file);
  const meta = snap.snapshot.meta;
  const fields = meta.node_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const types = meta.node_types[0];
  const out = {};
  for (let i = 0; i < snap.nodes.length; i += fields) {
    const type = types[snap.nodes[i + typeAt]];
    if (type !== 'object' && type !== 'closure') continue;
    const key = `${type}:${snap.strings[snap.nodes[i + nameAt]]}`;
    out[key] = (out[key] || 0) + 1;
  }
  return out;
}

/** Instances promoted to the old generation by two scavenges, then dropped. */
function leaveGarbage() {
  let garbage = [];
  for (let i = 0; i < COUNTS.garbageRequestContext; i++) garbage.push(new RequestContext(1e6 + i));
  global.gc({ type: 'minor' });
  global.gc({ type: 'minor' });
  garbage = null;
  return garbage;
}

function main() {
  build();
  const v8Counts = snapshotCounts();
  global.gc();
  leaveGarbage();
  kit.writeManifest('heap-census', {
    script: __filename,
    hold: 'wait',
    values: { counts: COUNTS, v8Counts },
    stacks: [],
  });
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
}

main();
