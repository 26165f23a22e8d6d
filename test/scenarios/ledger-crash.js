// Scenario: an uncaught TypeError thrown from a timer callback under
// --abort-on-uncaught-exception (a kernel core, SIGTRAP): runBatch → processBatch →
// applyTransfers → reconcileLedger throws "ledger mismatch on account N", N varying by run.
// A listening server and a pending timer are part of the state `why` summarises.
// nodescope-hold: abort
// nodescope-flags: --abort-on-uncaught-exception
'use strict';
const net = require('net');
const kit = require('./lib/kit.js');

const account = 40 + (process.pid % 50);
const message = `ledger mismatch on account ${account}`;

function reconcileLedger(entries) {
  const total = entries.reduce((a, e) => a + e.amount, 0);
  if (total !== 0) throw new TypeError(message);
  return total;
}

function applyTransfers(batch) {
  return reconcileLedger(batch.map((t) => ({ amount: t.cents })));
}

function processBatch(batch) {
  return applyTransfers(batch);
}

function keepAlive() {}

const server = net.createServer().listen(0, '127.0.0.1', () => {
  setTimeout(keepAlive, 600000);
  kit.writeManifest('ledger-crash', {
    script: __filename,
    hold: 'abort',
    error: { name: 'TypeError', message },
    values: { frames: ['reconcileLedger', 'applyTransfers', 'processBatch', 'runBatch'], signal: 'SIGTRAP', kind: 'uncaught-exception' },
    stacks: [],
  });
  setTimeout(function runBatch() {
    processBatch([{ cents: 100 }, { cents: -99 }]);
  }, 1);
});
server.unref();
