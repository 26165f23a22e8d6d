// Scenario: killed by a fatal signal: flushJournal sends itself SIGSEGV (as a native addon's bad
// pointer would fault), so the kernel writes a core whose crashing thread is in JS-called native code.
// nodescope-hold: abort
'use strict';
const kit = require('./lib/kit.js');

function flushJournal() {
  process.kill(process.pid, 'SIGSEGV');
}

kit.writeManifest('signal-crash', {
  script: __filename,
  hold: 'abort',
  values: { frames: ['flushJournal'], signal: 'SIGSEGV', kind: 'signal' },
  stacks: [],
});
flushJournal();
