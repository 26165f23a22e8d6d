// Scenario: a spinning loop, as in the heat-map story: bucketize is called with max === min, so
// its step is 0 and its loop never ends. It prints `NODESCOPE_PROGRESS n` now and then on fd 1.
// nodescope-hold: spin
'use strict';
const fs = require('fs');
const kit = require('./lib/kit.js');

const trace = [];

function reportProgress(spins) {
  fs.writeSync(1, `NODESCOPE_PROGRESS ${spins}\n`);
}

exports.bucketize = function (data, conf) {
  trace.unshift(kit.describeCall(exports.bucketize, __filename, arguments, this, { inferredName: 'exports.bucketize' }));
  const here = new Error('hold site');
  kit.writeManifest('spin-loop', {
    script: __filename,
    hold: 'spin',
    values: { conf },
    stacks: [kit.stackRecord('main', trace, here)],
  });
  kit.ready();
  const buckets = new Array(conf.nbuckets).fill(0);
  const step = (conf.max - conf.min) / conf.nbuckets; // 0 when max === min: the bug
  let spins = 0;
  for (let v = conf.min; v <= conf.max; v += step) { // @hold
    buckets[spins % conf.nbuckets] += data.length;
    if ((++spins & 0xffffff) === 0) reportProgress(spins);
  }
  return buckets;
};

function caAggrValueHeatmapImage(aggr, request) {
  trace.unshift(kit.describeCall(caAggrValueHeatmapImage, __filename, arguments));
  const conf = {
    base: 1320886447,
    height: 281,
    width: 624,
    max: 11538462,
    min: 11538462,
    nbuckets: 50,
    linear: true,
  };
  return exports.bucketize(aggr.data, conf);
}

function handleRequest(request) {
  trace.unshift(kit.describeCall(handleRequest, __filename, arguments));
  const aggr = { data: [11538462, 11538462, 11538462], name: 'latency' };
  return caAggrValueHeatmapImage(aggr, request);
}

function main() {
  trace.unshift(kit.describeCall(main, __filename, arguments));
  return handleRequest({ url: '/ca/instrumentations/1/value/heatmap/image', method: 'GET' });
}

main();
