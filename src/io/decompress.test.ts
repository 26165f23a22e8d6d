import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compressionOf, decompressCore, SparseWriter } from './decompress.js';
import { FormatError } from '../util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nodescope-decompress-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A core-like sample: 4 bytes, 1 MiB of zeros, 4 bytes. */
function sample(): Buffer {
  return Buffer.concat([Buffer.from('ELF!'), Buffer.alloc(1 << 20), Buffer.from('tail')]);
}

test('formats are told by their magic bytes; anything else is a plain core', () => {
  assert.equal(compressionOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0])), 'zstd');
  assert.equal(compressionOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])), 'xz');
  assert.equal(compressionOf(Buffer.from([0x04, 0x22, 0x4d, 0x18])), 'lz4');
  assert.equal(compressionOf(Buffer.from([0x7f, 0x45, 0x4c, 0x46])), undefined);
  assert.equal(compressionOf(Buffer.alloc(0)), undefined);
});

test('the sparse writer leaves zero blocks as holes and keeps the length', () => {
  const p = join(dir, 'sparse');
  const w = new SparseWriter(p);
  const data = sample();
  for (let i = 0; i < data.length; i += 10_000) w.write(data.subarray(i, i + 10_000));
  assert.equal(w.close(), data.length);
  assert.deepEqual(readFileSync(p), data);
  assert.ok(statSync(p).blocks * 512 < 256 << 10, 'the zeros take no disk blocks');
});

test('zstd and xz streams decompress (fixtures made by the zstd and xz tools); garbage is a FormatError', async () => {
  // zstd -19 and xz -9 of sample(), as base64.
  const fixtures = { zstd: ZSTD_SAMPLE, xz: XZ_SAMPLE } as const;
  for (const [format, b64] of Object.entries(fixtures) as ['zstd' | 'xz', string][]) {
    const src = join(dir, `core.${format}`);
    writeFileSync(src, Buffer.from(b64, 'base64'));
    assert.equal(compressionOf(readFileSync(src)), format);
    const dest = join(dir, `out-${format}`);
    assert.equal(await decompressCore(src, dest, format), sample().length);
    assert.deepEqual(readFileSync(dest), sample());
  }
  const bad = join(dir, 'bad.zst');
  writeFileSync(bad, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4, 5, 6, 7]));
  await assert.rejects(decompressCore(bad, join(dir, 'bad-out'), 'zstd'), FormatError);
});

const ZSTD_SAMPLE = 'KLUv/aQIABAAbAAAKEVMRiEAAQD4/znQAgIAEAACABAAAgAQAAIAEAACABAAAgAQAAIAEABBAAAAAAAAdGFpbLy0k9E=';
const XZ_SAMPLE = '/Td6WFoAAATm1rRGAgAhARwAAAAQz1jM8AAHAOJdACKTBNKcOuoQo0hCw6GxxTZmkIljp9DRUF6djLTBS745j550KbBQMs9NC7sXczkUnu9xD0IJdkC7huuZ7aAgz3hNPHYGEWRNWo9fwyWuWnXBT7XkOVJzh5HV3KWNIKQbWtUI+cfarfz7Uit0zR5bIEL53VM9+ClkCTuAyyps37U78MS9Ll+qDz5LZkKQEw7/EJP4cXhZ+AvN/5UoRg+p/Hze+5owLlbAj4Xzg4HAZcQlU/j1kTYxBaWw7m/BcE1HDNGREaqtYB26zrEnGFxZhulmUli+6XasWdxiEuuRK68JMwYAAAAWyfiWTMcu9gAB/gGIgEAAVU8M6LHEZ/sCAAAAAARZWg==';
