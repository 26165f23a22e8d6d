// Unit tests of the sparse copy on synthetic files: exact content, zero blocks left as holes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { copySparse } from './sparse-copy.js';

test('copies data exactly and leaves zero blocks as holes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-sparse-'));
  try {
    const mib = 1 << 20;
    const data = Buffer.alloc(6 * mib + 123);
    data.fill(0xab, 0, 10);
    data.fill(0xcd, 5 * mib + 7, 5 * mib + 20);
    data[data.length - 1] = 0x01;
    writeFileSync(join(dir, 'in'), data);
    const n = copySparse(join(dir, 'in'), join(dir, 'out'));
    assert.equal(n, data.length);
    assert.ok(readFileSync(join(dir, 'out')).equals(data));
    const allocated = statSync(join(dir, 'out')).blocks * 512;
    assert.ok(allocated <= 3 * mib, `only the blocks with data take space (${allocated} bytes)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an all-zero file becomes one hole of the same size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodescope-sparse-'));
  try {
    writeFileSync(join(dir, 'in'), Buffer.alloc(3 << 20));
    assert.equal(copySparse(join(dir, 'in'), join(dir, 'out')), 3 << 20);
    assert.equal(statSync(join(dir, 'out')).size, 3 << 20);
    assert.ok(readFileSync(join(dir, 'out')).every((b) => b === 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
