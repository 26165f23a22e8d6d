// Unit tests of the /proc parsers used by the live samplers: TCP listener tables and maps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTcpTable } from '../../target/live/listening-sockets.js';
import { parseProcMaps } from '../../target/live/proc-mem-space.js';

test('parseTcpTable keeps listening sockets with address, port and inode', () => {
  const text = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:240D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:240D 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1
`;
  assert.deepEqual(parseTcpTable(text), [{ address: '127.0.0.1', port: 9229, inode: 4242 }]);
  assert.deepEqual(parseTcpTable('header only\n'), []);
});

test('parseProcMaps reads ranges, permissions and files', () => {
  const maps = parseProcMaps('00400000-00500000 r-xp 00001000 08:01 123 /usr/bin/node\n7f00-8f00 rw-p 00000000 00:00 0 \n');
  assert.equal(maps.length, 2);
  assert.deepEqual(maps[0], { start: 0x7f00, end: 0x8f00, readable: true, writable: true, executable: false });
  assert.equal(maps[1]!.path, '/usr/bin/node');
  assert.equal(maps[1]!.fileOffset, 0x1000);
  assert.equal(maps[1]!.executable, true);
});
