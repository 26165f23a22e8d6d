import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashSignature, frameKey, isInApp, normaliseMessage } from './signature.js';
import { parseConnectionKey } from './endpoints.js';
import { parseStackLines } from './error-info.js';
import { groupCrashes, type CrashReport } from './triage.js';

test('messages lose their variable parts: numbers, hex, quoted strings, paths, URLs, UUIDs', () => {
  assert.equal(normaliseMessage('ledger mismatch on account 42'), 'ledger mismatch on account <n>');
  assert.equal(normaliseMessage("Cannot read properties of undefined (reading 'id')"), 'Cannot read properties of undefined (reading <str>)');
  assert.equal(normaliseMessage('ENOENT: no such file or directory, open "/srv/app/data/7.json"'), 'ENOENT: no such file or directory, open <str>');
  assert.equal(normaliseMessage('ENOENT: no such file or directory, open /srv/app/data/7.json'), 'ENOENT: no such file or directory, open <path>');
  assert.equal(normaliseMessage('bad pointer 0x7ffd5a3c and hash deadbeef42'), 'bad pointer <hex> and hash <hex>');
  assert.equal(normaliseMessage('request 3f2b8c1e-9d4a-4b7e-a1c2-0123456789ab failed after 1.5 s'), 'request <uuid> failed after <n> s');
  assert.equal(normaliseMessage('GET https://api.example.com/v2/orders?id=9 returned 503'), 'GET <path> returned <n>');
  assert.equal(normaliseMessage('v8 and node20 keep digits inside words'), 'v8 and node20 keep digits inside words');
  assert.equal(normaliseMessage('  spaced \n  out  '), 'spaced out');
});

test('frames: in-app only, by function and the last two path components, without [as …] or line', () => {
  assert.equal(isInApp({ function: 'x', file: 'node:internal/timers' }), false);
  assert.equal(isInApp({ function: 'x', file: '/srv/app/node_modules/express/lib/router.js' }), false);
  assert.equal(isInApp({ function: 'x', file: '/srv/app/lib/ledger.js', line: 3 }), true);
  assert.equal(frameKey({ function: 'Timeout.runBatch [as _onTimeout]', file: '/srv/app/lib/batch.js', line: 4, column: 2 }), 'Timeout.runBatch (lib/batch.js)');
  assert.equal(frameKey({ function: 'async settle', file: 'file:///srv/app/lib/pay.mjs' }), 'settle (lib/pay.mjs)');
  assert.equal(frameKey({ function: '', file: '/a.js' }), '(anonymous) (a.js)');
});

test('the signature keeps three in-app frames; versions, lines and numbers do not change it', () => {
  const frames = (line: number, root: string) => [
    { function: 'reconcileLedger', file: `${root}/lib/ledger.js`, line, column: 9 },
    { function: 'listOnTimeout', file: 'node:internal/timers', line: 581 },
    { function: 'applyTransfers', file: `${root}/lib/ledger.js`, line: line + 5 },
    { function: 'processBatch', file: `${root}/lib/batch.js`, line: 2 },
    { function: 'main', file: `${root}/index.js`, line: 1 },
  ];
  const a = crashSignature('uncaught-exception', { constructor: 'TypeError', message: 'ledger mismatch on account 42' }, frames(10, '/srv/v1/app'));
  const b = crashSignature('uncaught-exception', { constructor: 'TypeError', message: 'ledger mismatch on account 7' }, frames(12, '/opt/v2/app'));
  assert.equal(a.signature, 'uncaught-exception | TypeError: ledger mismatch on account <n> | reconcileLedger (lib/ledger.js) | applyTransfers (lib/ledger.js) | processBatch (lib/batch.js)');
  assert.equal(a.signature, b.signature);
  assert.equal(a.id, b.id);
  assert.match(a.id, /^[0-9a-f]{12}$/);
  const c = crashSignature('unhandled-rejection', { constructor: 'TypeError', message: 'ledger mismatch on account 42' }, frames(10, '/srv'));
  assert.notEqual(c.signature, a.signature);
  const internalOnly = crashSignature('oom', undefined, [{ function: 'listOnTimeout', file: 'node:internal/timers' }]);
  assert.equal(internalOnly.signature, 'oom | - | listOnTimeout (node:internal/timers)');
});

test('grouping: one group per signature, versions as attributes, oldest first, newest as example', () => {
  const sig = crashSignature('uncaught-exception', { constructor: 'TypeError', message: 'x 1' }, [{ function: 'f', file: '/a/b.js' }]);
  const other = crashSignature('oom', undefined, []);
  const rep = (core: string, time: string, nodeVersion: string, s = sig): CrashReport => ({ core, kind: 'uncaught-exception', signature: s, nodeVersion, v8Version: `v8-${nodeVersion}`, time, message: 'x 1', signal: 'SIGTRAP' });
  const r = groupCrashes([rep('c2', '2024-01-02T00:00:00.000Z', '24.1.0'), rep('c1', '2024-01-01T00:00:00.000Z', '20.1.0'), rep('c3', '2024-01-03T00:00:00.000Z', '20.1.0', other)], [{ core: 'bad', problem: 'not a core' }]);
  assert.equal(r.groups.length, 2);
  const g = r.groups[0]!;
  assert.equal(g.count, 2);
  assert.deepEqual(g.cores, ['c1', 'c2']);
  assert.equal(g.example, 'c2');
  assert.equal(g.firstSeen, '2024-01-01T00:00:00.000Z');
  assert.equal(g.lastSeen, '2024-01-02T00:00:00.000Z');
  assert.deepEqual(g.nodeVersions, ['20.1.0', '24.1.0']);
  assert.equal(r.failed.length, 1);
});

test('connection keys as lib/net.js writes them', () => {
  assert.deepEqual(parseConnectionKey('4:127.0.0.1:8080'), { address: '127.0.0.1', port: 8080 });
  assert.deepEqual(parseConnectionKey('6::::443'), { address: '::', port: 443 });
  assert.deepEqual(parseConnectionKey('6:fe80::1:9000'), { address: 'fe80::1', port: 9000 });
  assert.deepEqual(parseConnectionKey('4:0.0.0.0:0'), { address: '0.0.0.0' }, 'listen(0): the bound port is the kernel\'s');
  assert.deepEqual(parseConnectionKey('-1:/run/app.sock:-1'), { path: '/run/app.sock' });
  assert.equal(parseConnectionKey('garbage'), undefined);
  assert.equal(parseConnectionKey('4:1.2.3.4:99999'), undefined);
});

test('V8 stack lines parse back into function, file, line and column', () => {
  const s = ['TypeError: boom', '    at reconcileLedger (/srv/a.js:16:26)', '    at Timeout.runBatch [as _onTimeout] (/srv/b.js:40:5)', '    at node:internal/main/run_main_module:28:49', '    at new Widget (/srv/w.js:1:2)', '    at async Promise.all (index 0)', 'not a frame'].join('\n');
  assert.deepEqual(parseStackLines(s), [
    { function: 'reconcileLedger', file: '/srv/a.js', line: 16, column: 26 },
    { function: 'Timeout.runBatch [as _onTimeout]', file: '/srv/b.js', line: 40, column: 5 },
    { function: '', file: 'node:internal/main/run_main_module', line: 28, column: 49 },
    { function: 'new Widget', file: '/srv/w.js', line: 1, column: 2 },
    { function: 'async Promise.all', file: 'index 0' },
  ]);
});
