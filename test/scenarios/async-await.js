// Scenario: an async function after an await: main awaits handleRequest, which awaits
// lookupUser (resolved from a later macrotask) and then, in its continuation, holds.
// nodescope-hold: wait
'use strict';
const kit = require('./lib/kit.js');

const trace = [];

function lookupUser(id) {
  return new Promise((resolve) => setImmediate(() => resolve({ id, name: 'ada' })));
}

async function handleRequest(request) {
  const user = await lookupUser(request.userId);
  trace.unshift(kit.describeCall(handleRequest, __filename, arguments, undefined, { isAsync: true, afterAwait: true }));
  const here = new Error('hold site');
  kit.writeManifest('async-await', {
    script: __filename,
    hold: 'wait',
    values: { user },
    asyncCallers: kit.parseStack(here.stack).filter((f) => f.async).map((f) => f.function),
    stacks: [kit.stackRecord('main', trace, here)],
  });
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
}

async function main() {
  await handleRequest({ userId: 7, path: '/users/7' });
}

main();
