// Scenario: process.abort() from a JS function (a kernel core, SIGABRT through node::Abort), as
// a supervisor's "dump and die" path does.
// nodescope-hold: abort
'use strict';
const kit = require('./lib/kit.js');

function dumpAndDie() {
  process.abort();
}

kit.writeManifest('abort-crash', {
  script: __filename,
  hold: 'abort',
  values: { frames: ['dumpAndDie'], signal: 'SIGABRT', kind: 'abort' },
  stacks: [],
});
dumpAndDie();
