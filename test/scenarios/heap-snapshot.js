// Scenario: heap-snapshot: builds a known heap (class instances, a constructor function's
// instances, closures over context variables, Map subclasses, strings of every representation,
// numbers, symbols, BigInts, regexps, a WeakMap) and one known leaked object reachable only
// through a global (globalThis.leakHolder.items[LEAK_INDEX]), then writes V8's own heap snapshot
// next to its manifest (the oracle of `nodescope heapsnapshot`) and holds at once, so the core is
// taken of the heap V8 just wrote out.
// nodescope-hold: wait
// nodescope-flags: --expose-gc
'use strict';
const path = require('path');
const v8 = require('v8');
const kit = require('./lib/kit.js');

const COUNTS = {
  SnapshotRequest: 2000,
  LegacyPoint: 500,
  countHit: 300,
  TrackedMap: 50,
  consStrings: 100,
  slicedStrings: 100,
  symbols: 20,
  bigints: 20,
  regexps: 10,
};
const LEAK_INDEX = 17;
const SNAPSHOT_FILE = 'v8.heapsnapshot';

class SnapshotRequest {
  constructor(id) {
    this.id = id;
    this.url = `/snapshot/${id}`;
    this.startedAt = 1700000000000 + id;
    this.tags = null;
  }
}

/** The one known leaked object: a class of its own, so both snapshots can find it by name. */
class KnownLeak {
  constructor() {
    this.id = LEAK_INDEX;
    this.url = '/leaked/known';
    this.startedAt = 1700000000000.5;
    this.tags = null;
    this.payload = { size: 4096 };
  }
}

function LegacyPoint(x) {
  this.x = x;
  this.y = `p${x}`;
}

class TrackedMap extends Map {}

function makeCounter(start) {
  let hits = start;
  const label = `counter-${start}`;
  return function countHit() {
    hits++;
    return label + hits;
  };
}

const keep = {};

function build() {
  const items = [];
  for (let i = 0; i < COUNTS.SnapshotRequest; i++) items.push(i === LEAK_INDEX ? new KnownLeak() : new SnapshotRequest(i));
  globalThis.leakHolder = { items };
  keep.legacy = [];
  for (let i = 0; i < COUNTS.LegacyPoint; i++) keep.legacy.push(new LegacyPoint(i));
  keep.counters = [];
  for (let i = 0; i < COUNTS.countHit; i++) keep.counters.push(makeCounter(i));
  keep.maps = [];
  for (let i = 0; i < COUNTS.TrackedMap; i++) keep.maps.push(new TrackedMap([[`k${i}`, { value: i }]]));
  const long = 'snapshot-long-string-'.repeat(10);
  keep.cons = [];
  for (let i = 0; i < COUNTS.consStrings; i++) keep.cons.push(long + String(i).padStart(16, '#'));
  keep.sliced = [];
  for (let i = 0; i < COUNTS.slicedStrings; i++) keep.sliced.push(long.slice(i % 7, 150 + (i % 40)));
  keep.huge = 'x'.repeat(3000) + 'end';
  keep.symbols = [];
  for (let i = 0; i < COUNTS.symbols; i++) keep.symbols.push(Symbol(`snap-${i}`));
  keep.bigints = [];
  for (let i = 0; i < COUNTS.bigints; i++) keep.bigints.push(BigInt(i) << 80n);
  keep.regexps = [];
  for (let i = 0; i < COUNTS.regexps; i++) keep.regexps.push(new RegExp(`snap-${i}-[a-z]+`, 'g'));
  const weakKey = { weakKey: true };
  keep.weakKey = weakKey;
  keep.weak = new WeakMap([[weakKey, { weakValue: true }]]);
  keep.bound = makeCounter.bind(null, 7);
}

function main() {
  build();
  const manifestPath = process.env.NODESCOPE_MANIFEST || process.argv[2];
  const snapshot = path.join(path.dirname(manifestPath), SNAPSHOT_FILE);
  kit.writeManifest('heap-snapshot', {
    script: __filename,
    hold: 'wait',
    values: { counts: COUNTS, leakIndex: LEAK_INDEX, snapshot: SNAPSHOT_FILE },
    files: [SNAPSHOT_FILE],
    stacks: [],
  });
  // Last: V8 collects garbage, writes every live object, and the core is taken of this heap.
  v8.writeHeapSnapshot(snapshot);
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
}

main();
