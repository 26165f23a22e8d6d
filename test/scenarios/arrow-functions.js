// Scenario: arrow functions: main → processBatch (const arrow) → Array.prototype.forEach (builtin)
// → an anonymous arrow callback → handleItem (const arrow), which holds in Atomics.wait.
// nodescope-hold: wait
'use strict';
const kit = require('./lib/kit.js');

const trace = [];

const handleItem = (item, index) => {
  trace.unshift(kit.describeCall(handleItem, __filename, [item, index]));
  const here = new Error('hold site');
  kit.writeManifest('arrow-functions', { script: __filename, hold: 'wait', stacks: [kit.stackRecord('main', trace, here)] });
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
};

const processBatch = (items) => {
  trace.unshift(kit.describeCall(processBatch, __filename, [items]));
  // An arrow in an array literal gets no `name`; V8 still infers `callback` from the binding.
  const callback = [(item, index, array) => {
    trace.unshift(kit.describeCall(callback, __filename, [item, index, array], undefined, { inferredName: 'callback', calledBy: 'Array.prototype.forEach' }));
    return handleItem(item, index);
  }][0];
  items.forEach(callback);
};

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  processBatch([{ id: 17, kind: 'order' }, { id: 18, kind: 'refund' }]);
}

main();
