// Scenario: an unhandled promise rejection under --abort-on-uncaught-exception (a kernel core,
// SIGABRT from node::errors::TriggerUncaughtException): settleOrder awaits chargeCard, which
// rejects with a RangeError whose message carries the order number (varying by run).
// nodescope-hold: abort
// nodescope-flags: --abort-on-uncaught-exception
'use strict';
const kit = require('./lib/kit.js');

const order = 1000 + (process.pid % 9000);
const message = `card declined for order ${order}`;

async function chargeCard(amount) {
  await null;
  if (amount > 100) throw new RangeError(message);
  return amount;
}

async function settleOrder(amount) {
  return chargeCard(amount);
}

function checkout() {
  settleOrder(4200);
}

kit.writeManifest('rejection-crash', {
  script: __filename,
  hold: 'abort',
  error: { name: 'RangeError', message },
  values: { frames: ['chargeCard', 'settleOrder'], signal: 'SIGABRT', kind: 'unhandled-rejection' },
  stacks: [],
});
checkout();
