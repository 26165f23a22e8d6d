// Scenario: class methods: main → Router.dispatch (static) → Router#route → Router#handle
// (instance); handle holds in Atomics.wait.
// nodescope-hold: wait
'use strict';
const kit = require('./lib/kit.js');

const trace = [];

class Router {
  constructor(prefix) {
    this.prefix = prefix;
    this.routes = 3;
  }

  static dispatch(request) {
    trace.unshift(kit.describeCall(Router.dispatch, __filename, arguments, this, { kind: 'static' }));
    const router = new Router('/api');
    return router.route(request);
  }

  route(request) {
    trace.unshift(kit.describeCall(Router.prototype.route, __filename, arguments, this, { kind: 'method' }));
    return this.handle(request, 200);
  }

  handle(request, status) {
    trace.unshift(kit.describeCall(Router.prototype.handle, __filename, arguments, this, { kind: 'method' }));
    const here = new Error('hold site');
    kit.writeManifest('class-methods', { script: __filename, hold: 'wait', stacks: [kit.stackRecord('main', trace, here)] });
    kit.ready();
    for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
  }
}

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  return Router.dispatch({ method: 'GET', path: '/api/users' });
}

main();
