import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FileByteSource } from '../../io/byte-source.js';
import { ElfFile } from '../../elf/elf-file.js';
import { MissingConstant } from '../../util/errors.js';
import { REQUIRED } from './constant-table.js';
import { SHT_NOBITS, type LayoutBinary } from './layout-binary.js';
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

/** A fake binary holding `v8dbg_` ints in a .data section at 0x1000. */
function fakeBinary(values: Record<string, number>): LayoutBinary {
  const names = Object.keys(values);
  const data = Buffer.alloc(names.length * 4);
  names.forEach((n, i) => data.writeInt32LE(values[n]!, i * 4));
  return {
    symbols: () => names.map((name, i) => ({ name, value: 0x1000 + i * 4, size: 4, shndx: 1 })),
    sections: () => [
      { name: '', type: 0, addr: 0, size: 0 },
      { name: '.data', type: 1, addr: 0x1000, size: data.length },
      { name: '.bss', type: SHT_NOBITS, addr: 0x8000, size: 0x100 },
    ],
    readVaddr: (vaddr, length) => data.subarray(vaddr - 0x1000, vaddr - 0x1000 + length),
  };
}

test('a missing required constant throws MissingConstant naming it', () => {
  const bin = fakeBinary({ v8dbg_SmiShiftSize: 31, v8dbg_SmiTagMask: 1 });
  assert.throws(
    () => loadV8Layout(bin, undefined, 0, { binaryName: 'fake' }),
    (e: unknown) => e instanceof MissingConstant && /SmiTag \(v8dbg_SmiTag\)/.test(e.message),
  );
});

test('a binary without v8dbg_ symbols is a FormatError', () => {
  assert.throws(() => loadV8Layout(fakeBinary({ other: 1 }), undefined, 0), /no V8 postmortem metadata/);
});
