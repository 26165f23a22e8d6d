// Scenario: a plain synchronous call chain main → alpha → beta → gamma → delta; delta holds in
// Atomics.wait. Calls pass more and fewer arguments than the functions declare.
// nodescope-hold: wait
'use strict';
const kit = require('./lib/kit.js');

const trace = [];

function alpha(count, label) {
  trace.unshift(kit.describeCall(alpha, __filename, arguments));
  return beta({ three: 3, label }, [4, 5, count]);
}

function beta(options, list) {
  trace.unshift(kit.describeCall(beta, __filename, arguments));
  return gamma(6.5, true, null);
}

function gamma(ratio, flag) {
  trace.unshift(kit.describeCall(gamma, __filename, arguments));
  return delta('only-one');
}

function delta(first, second, third) {
  trace.unshift(kit.describeCall(delta, __filename, arguments));
  const here = new Error('hold site');
  kit.writeManifest('sync-chain', { script: __filename, hold: 'wait', stacks: [kit.stackRecord('main', trace, here)] });
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
}

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  return alpha(1, 'two');
}

main();
