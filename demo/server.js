// nodescope demo service: a small heat-map HTTP service with the bug from Joyent's 2012 story.
// GET /heatmap?max=M&min=M with max === min sends bucketize() into an endless loop at 100% CPU.
'use strict';
const http = require('http');
const { caAggrValueHeatmapImage } = require('./lib/ca/ca-agg');

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/heatmap') {
    res.writeHead(404);
    res.end('try /heatmap\n');
    return;
  }
  const max = Number(url.searchParams.get('max') ?? 11538462);
  const min = Number(url.searchParams.get('min') ?? 0);
  const image = caAggrValueHeatmapImage({ base: 1320886447, height: 281, width: 624, max, min }, [3, 14, 15, 92, 65]);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(image) + '\n');
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`NODESCOPE_READY ${process.pid} ${server.address().port}\n`);
});
