// Struct layouts read from real DWARF: a shared object built with gcc (DWARF 4 and 5, plain and
// zlib-compressed sections).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ElfFile } from '../elf/elf-file.js';
import { FileByteSource } from '../io/byte-source.js';
import { structLayouts, unitForAddress } from './struct-layout.js';

const dir = mkdtempSync(join(tmpdir(), 'nodescope-dwarf-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const haveGcc = spawnSync('gcc', ['--version'], { timeout: 10_000 }).status === 0;

const SRC = `
struct probe { char a; long b; int c[3]; void *d; struct inner { short x, y; } e; };
struct other { int z; };
int use(struct probe *p, struct other *o) { return p->a + (int)p->b + p->c[1] + o->z + p->e.y; }
`;

for (const flags of [['-gdwarf-5'], ['-gdwarf-4'], ['-gdwarf-5', '-gz=zlib']]) {
  test(`a struct's size and member offsets, gcc ${flags.join(' ')}`, { skip: !haveGcc && 'needs gcc' }, () => {
    const src = join(dir, 'probe.c');
    writeFileSync(src, SRC);
    const so = join(dir, `probe${flags.join('')}.so`);
    const r = spawnSync('gcc', ['-O1', '-shared', '-fPIC', '-gno-as-locview-support', ...flags, '-o', so, src], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const elf = ElfFile.open(new FileByteSource(so));
    try {
      const use = elf.symbols().find((s) => s.name === 'use')!;
      const unit = unitForAddress(elf, use.value);
      assert.notEqual(unit, undefined, '.debug_aranges covers use()');
      const l = structLayouts(elf, unit!, ['probe', 'other', 'absent']);
      assert.deepEqual([...l.get('probe')!.members], [['a', 0], ['b', 8], ['c', 16], ['d', 32], ['e', 40]]);
      assert.equal(l.get('probe')!.size, 48);
      assert.equal(l.get('other')!.size, 4);
      assert.equal(l.has('absent'), false);
      // The nested struct's members are not the outer struct's.
      assert.equal(l.get('probe')!.members.has('x'), false);
    } finally {
      elf.source.close();
    }
  });
}
