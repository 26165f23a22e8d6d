import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import { MissingConstant } from '../../util/errors.js';
import { REQUIRED } from './constant-table.js';
import { fakeLayoutBinary } from './testing/fake-binary.js';
import { loadV8Layout } from './v8-layout.js';
import { findNodeVersion } from './versions.js';

const VERSIONS = ['18.20.8', '20.20.2', '22.23.3', '24.21.0', '26.12.1'];

for (const version of VERSIONS) {
  // dist/src/v8/layout/ → repository root
  const path = fileURLToPath(new URL(`../../../../.cache/node/${version}/bin/node`, import.meta.url));
  test(`layout of Node ${version}: every required constant is present`, { skip: !existsSync(path) }, () => {
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
      assert.equal(findNodeVersion(elf), `v${version}`);
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
