import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { isNodescopeError } from '../../util/errors.js';
import { ModuleImage } from '../module-image.js';
import { describeGlibc, findLibc, glibcInfo } from './glibc-libc.js';

const image = (path: string): ModuleImage => new ModuleImage({ path, start: 0x1000, end: 0x2000, bias: 0 }, path);

test('a target without glibc is UNSUPPORTED in one line naming its allocator', () => {
  for (const [paths, what] of [
    [['/usr/bin/node', '/lib/ld-musl-x86_64.so.1'], /musl/],
    [['/usr/bin/node', '/usr/lib/libjemalloc.so.2', '/lib/x86_64-linux-gnu/libc.so.6'], null],
    [['/usr/bin/node'], /no glibc/],
  ] as const) {
    try {
      const libc = findLibc(paths.map(image));
      assert.equal(what, null, `found ${libc.module.path}`);
    } catch (e) {
      assert.ok(isNodescopeError(e) && e.code === 'UNSUPPORTED' && !e.message.includes('\n'));
      assert.match(e.message, what!);
    }
  }
});

test("the installed libc's release and malloc statics", { skip: !existsSync('/usr/lib/x86_64-linux-gnu/libc.so.6') && 'no libc at the Debian path' }, () => {
  const g = glibcInfo(image('/usr/lib/x86_64-linux-gnu/libc.so.6'));
  assert.match(g.version, /^2\.\d+$/);
  assert.match(describeGlibc(g), new RegExp(`^glibc ${g.version.replace('.', '\\.')}; `));
  if (g.debugFile !== undefined) {
    assert.ok(g.mainArena !== undefined && g.layout.source.startsWith('DWARF'));
  }
});
