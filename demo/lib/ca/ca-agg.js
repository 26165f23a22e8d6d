// Cloud-analytics aggregation: turns raw values into a heat-map image description.
'use strict';
const heatmap = require('../heatmap');

function caAggrValueHeatmapImage(conf, values) {
  const params = { base: conf.base, height: conf.height, width: conf.width, max: conf.max, min: conf.min, nbuckets: 50, hue: [21], weights: 'count', linear: true };
  const buckets = heatmap.bucketize(params, values);
  return { width: params.width, height: params.height, rows: buckets.rows };
}

module.exports = { caAggrValueHeatmapImage };
