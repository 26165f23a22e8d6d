// `function --disassemble`'s decoder checked against objdump -d on embedded builtins of each
// tested Node binary: the same instruction addresses and the same AT&T text, once the few
// spelling differences between the two (listed in `spelling`) are brought to one form.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { disassemble } from '../../src/analysis/inspect/disassembly.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { FileByteSource } from '../../src/io/byte-source.js';
import { nodeBinary, testedMajors } from '../harness/node-binaries.js';

const BUILTINS = ['Builtins_InterpreterEntryTrampoline', 'Builtins_ArrayPrototypePush', 'Builtins_CallFunction_ReceiverIsAny', 'Builtins_JSEntry'];
const OBJDUMP_TIMEOUT_MS = 60_000;

/**
 * One spelling of an AT&T instruction: objdump's annotations dropped, one space, branch targets
 * as 0x…; scale 1 and an encoded zero displacement left out (objdump shows `0x0(,%rcx,1)`, iced
 * `(,%rcx)`); the implicit 1 of shift-by-one shown; push/pop without the q suffix.
 */
function spelling(text: string): string {
  return text
    .replace(/\s+#.*$/, '')
    .replace(/\s+<[^>]*>$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(j\w+|call|jmp) ([0-9a-f]+)$/, '$1 0x$2')
    .replace(/,1\)/g, ')')
    .replace(/([ ,-])0x0\(/g, '$1(')
    .replace(/^(s[ah][lr]|ro[lr]|rc[lr])(\w?) (%\w+)$/, '$1$2 $$0x1,$3')
    .replace(/^(push|pop)q /, '$1 ');
}

function objdump(binary: string, start: number, end: number): { address: number; text: string }[] {
  const out = execFileSync('objdump', ['-d', '--no-show-raw-insn', `--start-address=0x${start.toString(16)}`, `--stop-address=0x${end.toString(16)}`, binary], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: OBJDUMP_TIMEOUT_MS,
  });
  return out
    .split('\n')
    .map((l) => /^\s+([0-9a-f]+):\t(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ address: parseInt(m[1]!, 16), text: m[2]! }));
}

for (const major of testedMajors()) {
  describe(`disassembly on Node ${major}`, () => {
    test('builtins decode to what objdump prints', { timeout: 120_000 }, async () => {
      const node = await nodeBinary(major);
      const source = new FileByteSource(node.path);
      try {
        const elf = ElfFile.open(source);
        const syms = elf.symbolsWithPrefix(BUILTINS);
        for (const name of BUILTINS) {
          const s = syms.find((x) => x.name === name);
          assert.ok(s !== undefined && s.size > 0, `${name} in the binary`);
          const ours = disassemble(elf.readVaddr(s.value, s.size), s.value, (a) => (a === s.value ? name : undefined)).instructions;
          const theirs = objdump(node.path, s.value, s.value + s.size);
          assert.ok(theirs.length > 20, `${name}: objdump output`);
          assert.deepEqual(
            ours.map((i) => `${i.address.toString(16)} ${spelling(i.text)}`),
            theirs.map((i) => `${i.address.toString(16)} ${spelling(i.text)}`),
            name,
          );
          assert.ok(ours.every((i) => i.bytes.length > 0 && i.bytes.length <= 30));
        }
      } finally {
        source.close();
      }
    });
  });
}

test('direct call targets are named and the instruction limit is kept', () => {
  // call +0 (to the next instruction); jmp -7 (back to the call); ret
  const bytes = Buffer.from('e800000000ebf9c3', 'hex');
  const r = disassemble(bytes, 0x1000, (a) => (a === 0x1005 ? 'Builtins_Next' : undefined));
  assert.deepEqual(
    r.instructions.map((i) => [i.address, i.text, i.target, i.targetName]),
    [
      [0x1000, 'call 0x1005', 0x1005, 'Builtins_Next'],
      [0x1005, 'jmp 0x1000', 0x1000, undefined],
      [0x1007, 'ret', undefined, undefined],
    ],
  );
  assert.equal(r.truncated, false);
  const cut = disassemble(bytes, 0x1000, undefined, 2);
  assert.equal(cut.instructions.length, 2);
  assert.equal(cut.truncated, true);
});
