// Scenario: a constructor call in the chain: main → makeWidget → new Widget(…) (class
// constructor) → measure, which holds in Atomics.wait while the construct frame is below it.
// nodescope-hold: wait
'use strict';
const kit = require('./lib/kit.js');

const trace = [];

function measure(widget, scale) {
  trace.unshift(kit.describeCall(measure, __filename, arguments));
  const here = new Error('hold site');
  kit.writeManifest('constructor-call', { script: __filename, hold: 'wait', stacks: [kit.stackRecord('main', trace, here)] });
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
}

class Widget {
  constructor(name, size) {
    trace.unshift(kit.describeCall(Widget, __filename, arguments, undefined, { isConstruct: true }));
    this.name = name;
    this.size = size;
    measure(this, 3);
  }
}

function makeWidget(name) {
  trace.unshift(kit.describeCall(makeWidget, __filename, arguments));
  return new Widget(name, 12);
}

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  return makeWidget('gear');
}

main();
