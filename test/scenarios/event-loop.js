// Scenario: a known event loop: a TCP server and an unref'd HTTP server on ephemeral ports, a
// connected client socket and its accepted peer, a child process, a pending fs.open on a FIFO
// (threadpool), a stalled socket write, timers with named callbacks and known delays, queued
// setImmediate / nextTick / microtask callbacks, pending promises with named handlers and one
// unhandled rejection. It records its own view (including process.report's libuv list), then
// holds inside the client's connect callback, so every queue is still full in the core.
// nodescope-hold: wait
'use strict';
const childProcess = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');
const kit = require('./lib/kit.js');

const TIMERS = [
  { name: 'pollInventory', delay: 60000, repeat: false, ref: true },
  { name: 'flushMetrics', delay: 30000, repeat: false, ref: true },
  { name: 'retryPayment', delay: 30000, repeat: false, ref: true },
  { name: 'heartbeat', delay: 5000, repeat: true, ref: true },
  { name: 'cleanupCache', delay: 90000, repeat: false, ref: false },
];
const keep = {};

function pollInventory() {}
function flushMetrics() {}
function retryPayment() {}
function heartbeat() {}
function cleanupCache() {}
function drainQueue() {}
function flushLogs() {}
function emitReady() {}
function auditTrail() {}
function onSettled() {}
function onOrderShipped() {}
function onPaymentFailed() {}
function onFifoOpen() {}
function handleRequest() {}

const CALLBACKS = { pollInventory, flushMetrics, retryPayment, heartbeat, cleanupCache };

function startTimers() {
  keep.timers = TIMERS.map((t) => {
    const fn = CALLBACKS[t.name];
    const timer = t.repeat ? setInterval(fn, t.delay) : setTimeout(fn, t.delay);
    if (!t.ref) timer.unref();
    return timer;
  });
}

function pendingPromises() {
  // The resolvers are kept, as a pending operation keeps them: the promises stay reachable.
  keep.resolvers = [];
  const order = (resolve, reject) => keep.resolvers.push(resolve, reject);
  keep.shipped = [];
  for (let i = 0; i < 5; i++) keep.shipped.push(new Promise(order).then(onOrderShipped));
  keep.failed = [];
  for (let i = 0; i < 3; i++) keep.failed.push(new Promise(order).catch(onPaymentFailed));
  keep.lost = Promise.reject(new RangeError('card declined for order 1234'));
}

function libuvView() {
  return process.report.getReport().libuv.map((h) => {
    const out = { type: h.type, address: h.address, isActive: h.is_active, isReferenced: h.is_referenced };
    for (const k of ['fd', 'localEndpoint', 'remoteEndpoint', 'pid', 'signum']) if (h[k] !== undefined) out[k] = h[k];
    return out;
  });
}

function holdWithQueues(view) {
  setImmediate(drainQueue);
  process.nextTick(flushLogs);
  process.nextTick(emitReady, 'ready');
  queueMicrotask(auditTrail);
  Promise.resolve(7).then(onSettled);
  kit.writeManifest('event-loop', {
    script: __filename,
    hold: 'wait',
    values: Object.assign(view, {
      timers: TIMERS,
      immediates: ['drainQueue'],
      nextTicks: ['flushLogs', 'emitReady'],
      microtasks: ['auditTrail', 'onSettled'],
      promiseGroups: { onOrderShipped: 5, onPaymentFailed: 3 },
      rejected: [{ constructor: 'RangeError', message: 'card declined for order 1234' }],
    }),
    stacks: [],
  });
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
}

function freePorts(n, done) {
  const probes = [];
  for (let i = 0; i < n; i++) probes.push(net.createServer().listen(0, '127.0.0.1'));
  let listening = 0;
  for (const p of probes) {
    p.on('listening', () => {
      if (++listening < n) return;
      const ports = probes.map((x) => x.address().port);
      let closed = 0;
      for (const x of probes) x.close(() => ++closed === n && done(ports));
    });
  }
}

function main() {
  const fifo = path.join(process.cwd(), 'requests.fifo');
  childProcess.execFileSync('mkfifo', [fifo]);
  // The child exits when our end of its stdin closes, i.e. when this process dies.
  const child = childProcess.spawn(process.execPath, ['-e', "process.stdin.on('end', () => process.exit(0)); process.stdin.resume()"], { stdio: ['pipe', 'ignore', 'ignore'] });
  keep.child = child;
  const server = net.createServer(function onConnection(socket) {
    keep.accepted = socket;
    socket.pause();
    // What a service logs about each client: this caches the peer address in the socket object.
    keep.peer = { address: socket.remoteAddress, port: socket.remotePort };
    if (keep.connected) proceed();
  });
  const web = http.createServer(handleRequest);
  // Known ports, as services use: two free ports are picked first, then listened on explicitly
  // (a listen(0) server's bound port lives only in the kernel, which a core does not hold).
  freePorts(2, ([tcpPort, httpPort]) => server.listen(tcpPort, '127.0.0.1', () => {
    web.listen(httpPort, '127.0.0.1', () => {
      web.unref();
      const client = net.connect(server.address().port, '127.0.0.1', function onConnect() {
        keep.connected = true;
        if (keep.accepted) proceed();
      });
      keep.client = client;
    });
  }));
  keep.server = server;
  keep.web = web;

  function proceed() {
    if (keep.proceeded) return;
    keep.proceeded = true;
    fs.open(fifo, 'r', onFifoOpen);
    // The peer never reads: most of this stays queued in a pending write request.
    keep.client.write(Buffer.alloc(64 << 20, 1));
    startTimers();
    pendingPromises();
    const view = {
      ports: { tcp: server.address().port, http: web.address().port },
      client: { localPort: keep.peer.port },
      peer: keep.peer,
      childPid: child.pid,
      fifo,
      libuv: libuvView(),
    };
    holdWithQueues(view);
  }
}

main();
