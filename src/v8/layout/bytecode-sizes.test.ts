import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import { BytecodeSizes, loadBytecodeSizes } from './bytecode-sizes.js';
import { installedNode, OPTIONAL_MAJORS, SUPPORTED_MAJORS } from './testing/installed-node.js';

test('unit sizes follow the scale of Wide/ExtraWide prefixes', () => {
  // 6 bytecodes: 0 Wide, 1 ExtraWide, 2 DebugBreakWide, 3 DebugBreakExtraWide, 4 (size 2/3/5), 5 (size 1/1/1).
  const table = Buffer.from([1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 5, 1]);
  const s = new BytecodeSizes(table);
  assert.equal(s.bytecodeCount, 6);
  assert.equal(s.unitSize(Buffer.from([4, 9]), 0), 2);
  assert.equal(s.unitSize(Buffer.from([0, 4, 9, 9]), 0), 4);
  assert.equal(s.unitSize(Buffer.from([1, 4, 9, 9, 9, 9]), 0), 6);
  assert.equal(s.unitSize(Buffer.from([5]), 0), 1);
  assert.equal(s.unitSize(Buffer.from([77]), 0), undefined, 'unknown bytecode');
  assert.equal(s.unitSize(Buffer.from([0]), 0), undefined, 'prefix at the end');
});

for (const major of [...SUPPORTED_MAJORS, ...OPTIONAL_MAJORS]) {
  const installed = installedNode(major);
  const skip = installed === undefined && (OPTIONAL_MAJORS as readonly number[]).includes(major) ? `optional Node ${major} is not installed` : false;
  test(`Node ${installed?.version ?? major} carries V8's bytecode size table`, { skip }, () => {
    assert.ok(installed !== undefined, `Node ${major} is not installed under .cache/node (npm test's setup installs it)`);
    const source = new FileByteSource(installed.path);
    try {
      const s = loadBytecodeSizes(ElfFile.open(source));
      assert.ok(s !== undefined && s.bytecodeCount > 150 && s.bytecodeCount < 300);
      // Wide and ExtraWide are one-byte prefixes.
      assert.equal(s.unitSize(Buffer.from([0]), 0), undefined);
    } finally {
      source.close();
    }
  });
}
