// Scenario: out of memory: leakSessions keeps every session it makes until V8 reaches the small
// old-space limit and Node aborts (a kernel core, SIGABRT from node::OOMErrorHandler).
// nodescope-hold: abort
// nodescope-flags: --max-old-space-size=24
'use strict';
const kit = require('./lib/kit.js');

const sessions = [];

function leakSessions() {
  for (let i = 0; ; i++) sessions.push({ id: i, user: `user-${i}`, payload: new Array(16).fill(i) });
}

kit.writeManifest('oom-crash', {
  script: __filename,
  hold: 'abort',
  values: { frames: ['leakSessions'], signal: 'SIGABRT', kind: 'oom' },
  stacks: [],
});
leakSessions();
