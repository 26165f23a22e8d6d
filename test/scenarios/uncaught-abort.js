// Scenario: an uncaught exception under --abort-on-uncaught-exception: main → loadConfig →
// parseConfig → validateField throws a TypeError, Node prints the stack and aborts (a core).
// nodescope-hold: abort
// nodescope-flags: --abort-on-uncaught-exception
'use strict';
const kit = require('./lib/kit.js');

const trace = [];

function validateField(config, field) {
  trace.unshift(kit.describeCall(validateField, __filename, arguments));
  const here = new Error('hold site');
  kit.writeManifest('uncaught-abort', {
    script: __filename,
    hold: 'abort',
    error: { name: 'TypeError', message: `invalid config field: ${field}` },
    stacks: [kit.stackRecord('main', trace, here)],
  });
  throw new TypeError(`invalid config field: ${field}`); // @hold
}

function parseConfig(text) {
  trace.unshift(kit.describeCall(parseConfig, __filename, arguments));
  const config = JSON.parse(text);
  return validateField(config, 'port');
}

function loadConfig(name) {
  trace.unshift(kit.describeCall(loadConfig, __filename, arguments));
  return parseConfig('{"port": "eighty", "host": "localhost"}');
}

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  return loadConfig('service.json');
}

main();
