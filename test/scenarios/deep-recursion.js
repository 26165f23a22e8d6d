// Scenario: deep recursion, close to the RangeError depth: a first descent runs into the
// RangeError and notes how deep it got; the second stops at 75% of that (10k+ frames under
// --stack-size=3000) and holds at the bottom in Atomics.wait, so the core has the deep stack.
// nodescope-hold: wait
// nodescope-flags: --stack-size=3000
'use strict';
const kit = require('./lib/kit.js');

const trace = [];

let deepest = 0;

function descend(level, target) {
  deepest = level;
  if (level === target) {
    trace.unshift(kit.describeCall(descend, __filename, arguments, undefined, { repeat: target, argsOuter: 'level decreases by 1 per outer frame; target is constant' }));
    const here = new Error('hold site');
    kit.writeManifest('deep-recursion', {
      script: __filename,
      hold: 'wait',
      depth: target,
      rangeErrorDepth,
      stacks: [kit.stackRecord('main', trace, here)],
    });
    kit.ready();
    for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
  }
  return descend(level + 1, target) + 1;
}

function measureRangeErrorDepth() {
  try {
    descend(1, -1);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  return deepest;
}

const rangeErrorDepth = measureRangeErrorDepth();

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  return descend(1, Math.floor(rangeErrorDepth * 0.75));
}

main();
