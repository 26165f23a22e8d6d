import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import { MissingConstant } from '../../util/errors.js';
import { REQUIRED } from './constant-table.js';
import { fakeLayoutBinary } from './testing/fake-binary.js';
import { installedNode, OPTIONAL_MAJORS, SUPPORTED_MAJORS } from './testing/installed-node.js';
import { loadV8Layout } from './v8-layout.js';
import { findNodeVersion } from './versions.js';

for (const major of [...SUPPORTED_MAJORS, ...OPTIONAL_MAJORS]) {
  const installed = installedNode(major);
  const optional = (OPTIONAL_MAJORS as readonly number[]).includes(major);
  const skip = installed === undefined && optional ? `optional Node ${major} is not installed` : false;
  test(`layout of Node ${installed?.version ?? major}: every required constant is present`, { skip }, () => {
    assert.ok(installed !== undefined, `Node ${major} is not installed under .cache/node (npm test's setup installs it)`);
    const path = installed.path;
    const source = new FileByteSource(path);
    try {
      const elf = ElfFile.open(source);
      const layout = loadV8Layout(elf, undefined, 0, { binaryName: path });
      for (const name of Object.keys(REQUIRED)) {
        assert.equal(typeof layout.req[name as keyof typeof REQUIRED], 'number', name);
      }
      assert.equal(layout.req.SmiShiftSize, 31);
      assert.ok(layout.req.JSFunction_shared > 0);
      assert.equal(layout.types.value('JS_FUNCTION_TYPE') !== undefined, true);
      assert.equal(layout.frameTypes.value('EntryFrame'), 1);
      assert.match(layout.v8Version ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(findNodeVersion(elf), `v${installed.version}`);
      assert.ok(Object.isFrozen(layout) && Object.isFrozen(layout.req));
    } finally {
      source.close();
    }
  });
}

test('a missing required constant throws MissingConstant naming it', () => {
  const bin = fakeLayoutBinary({ v8dbg_SmiShiftSize: 31, v8dbg_SmiTagMask: 1 });
  assert.throws(
    () => loadV8Layout(bin, undefined, 0, { binaryName: 'fake' }),
    (e: unknown) => e instanceof MissingConstant && /SmiTag \(v8dbg_SmiTag\)/.test(e.message),
  );
});

test('a binary without v8dbg_ symbols is a FormatError', () => {
  assert.throws(() => loadV8Layout(fakeLayoutBinary({ other: 1 }), undefined, 0), /no V8 postmortem metadata/);
});
