// Scenario: closures: main → makeCounter returns increment, which captures `label`, `count` and
// `history` from its context; main → increment → record (another closure), which holds.
// nodescope-hold: wait
'use strict';
const kit = require('./lib/kit.js');

const trace = [];

function makeCounter(label, start) {
  let count = start;
  const history = [];
  function record(value) {
    trace.unshift(kit.describeCall(record, __filename, arguments));
    history.push(value);
    const here = new Error('hold site');
    kit.writeManifest('closures', {
      script: __filename,
      hold: 'wait',
      values: { captured: { label, count, history: history.slice() } },
      stacks: [kit.stackRecord('main', trace, here)],
    });
    kit.ready();
    for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
  }
  return function increment(step) {
    trace.unshift(kit.describeCall(increment, __filename, arguments));
    count += step;
    return record(count);
  };
}

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  const increment = makeCounter('requests', 41);
  return increment(1);
}

main();
