// Scenario: a worker thread spinning in crunchNumbers (workerMain → crunchNumbers) while the main
// thread waits in waitForWorker (main → startWorker → waitForWorker, Atomics.wait). The worker
// hands its stack record over in a SharedArrayBuffer, so the main chain never unwinds.
// nodescope-hold: wait
'use strict';
const { Worker, isMainThread, workerData } = require('worker_threads');
const kit = require('./lib/kit.js');

const trace = [];
const MAILBOX_BYTES = 1 << 16;

function crunchNumbers(input, mailbox) {
  trace.unshift(kit.describeCall(crunchNumbers, __filename, arguments));
  const here = new Error('hold site');
  const bytes = Buffer.from(JSON.stringify(kit.stackRecord('worker', trace, here)));
  new Uint8Array(mailbox, 8).set(bytes.subarray(0, MAILBOX_BYTES - 8));
  const flag = new Int32Array(mailbox, 0, 2);
  Atomics.store(flag, 1, bytes.length);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  let acc = 0;
  for (let i = 0; ; i = (i + 1) % input.length) acc = (acc + input[i]) | 0; // @hold
}

function workerMain(data) {
  trace.unshift(kit.describeCall(workerMain, __filename, arguments));
  return crunchNumbers(data.values, data.mailbox);
}

function waitForWorker(worker, mailbox) {
  trace.unshift(kit.describeCall(waitForWorker, __filename, [{ threadId: worker.threadId }, mailbox]));
  const flag = new Int32Array(mailbox, 0, 2);
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 1000);
  const length = Atomics.load(flag, 1);
  const workerStack = JSON.parse(Buffer.from(new Uint8Array(mailbox, 8, length)).toString());
  const here = new Error('hold site');
  kit.writeManifest('worker-thread', {
    script: __filename,
    hold: 'wait',
    workerName: 'spinner',
    stacks: [kit.stackRecord('main', trace, here), workerStack],
  });
  kit.ready();
  for (;;) Atomics.wait(kit.HOLD, 0, 0); // @hold
}

function startWorker(values) {
  trace.unshift(kit.describeCall(startWorker, __filename, arguments));
  const mailbox = new SharedArrayBuffer(MAILBOX_BYTES);
  const worker = new Worker(__filename, { name: 'spinner', workerData: { values, mailbox } });
  return waitForWorker(worker, mailbox);
}

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  return startWorker([3, 1, 4, 1, 5, 9, 2, 6]);
}

if (isMainThread) main();
else workerMain(workerData);
