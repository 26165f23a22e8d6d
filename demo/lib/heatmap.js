// Heat-map bucketing: maps values into `height` rows between min and max.
'use strict';

exports.bucketize = function (conf, values) {
  const step = (conf.max - conf.min) / conf.height; // 0 when max === min: the bug
  const rows = new Array(conf.height).fill(0);
  let scanned = 0;
  for (let v = conf.min; v <= conf.max; v += step) {
    scanned++;
    for (const x of values) if (x >= v && x < v + step) rows[Math.floor((v - conf.min) / step)]++;
  }
  return { rows, scanned };
};
