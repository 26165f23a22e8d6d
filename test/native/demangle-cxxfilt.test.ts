// Compares our Demangler with binutils c++filt over ~4000 mangled function symbols of a real node
// binary (skips when c++filt is absent). Exact agreement is reported; the gate is agreement after
// normalizing presentation choices of cpp_demangle that lose nothing for a stack trace:
// no return types, no Rust hashes, `std::ostream` for its basic_ostream<…> spelling, `8ul` for
// `(unsigned long)8`, and `>>` for `> >`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ElfFile } from '../../src/elf/elf-file.js';
import { FileByteSource } from '../../src/io/byte-source.js';
import { STT_FUNC } from '../../src/elf/constants.js';
import { Demangler } from '../../src/native/demangle.js';
import { findNodeBinary } from './node-binary.js';

const hasCxxfilt = spawnSync('c++filt', ['--version'], { timeout: 10_000 }).status === 0;

test('Demangler agrees with c++filt on the node binary\'s mangled function symbols', { skip: !hasCxxfilt && 'c++filt not installed', timeout: 120_000 }, () => {
  const binary = findNodeBinary();
  const src = new FileByteSource(binary);
  let names: string[];
  try {
    const syms = ElfFile.open(src).symbols().filter((s) => s.type === STT_FUNC && s.name.startsWith('_Z'));
    names = [...new Set(syms.map((s) => s.name))].sort();
  } finally {
    src.close();
  }
  assert.ok(names.length > 1000, `only ${names.length} mangled symbols in ${binary}`);
  const step = Math.max(1, Math.floor(names.length / 4000));
  const sample = names.filter((_, i) => i % step === 0);
  const filt = spawnSync('c++filt', [], { input: sample.join('\n') + '\n', encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  assert.equal(filt.status, 0, filt.stderr);
  const expected = filt.stdout.split('\n');
  const d = new Demangler();
  let exact = 0;
  let equivalent = 0;
  let failed = 0;
  const differences: string[] = [];
  for (let i = 0; i < sample.length; i++) {
    const name = sample[i]!;
    const ours = d.demangle(name);
    const theirs = expected[i]!;
    if (ours === theirs) exact++;
    else if (ours === name && theirs !== name) failed++;
    else if (sameModuloPresentation(ours, theirs)) equivalent++;
    else differences.push(`${name}\n  ours:     ${ours}\n  c++filt:  ${theirs}`);
  }
  const n = sample.length;
  const pct = (k: number): string => `${((k / n) * 100).toFixed(1)}%`;
  process.stdout.write(`# demangle vs c++filt on ${binary}: ${n} names, exact ${pct(exact)}, equivalent after normalizing ${pct(exact + equivalent)}, not demangled ${pct(failed)}, other differences ${pct(differences.length)}\n`);
  for (const diff of differences.slice(0, 2)) process.stdout.write(`# ${diff.split('\n').map((l) => l.slice(0, 200)).join('\n# ')}\n`);
  assert.ok((exact + equivalent) / n >= 0.94, `only ${pct(exact + equivalent)} agree; first differences:\n${differences.slice(0, 5).join('\n')}`);
  assert.ok(failed / n <= 0.03, `${pct(failed)} left mangled`);
  assert.equal(d.demangle('_ZN4node5StartEiPPc'), 'node::Start(int, char**)');
  assert.equal(d.demangle('uv_run'), 'uv_run');
});

function sameModuloPresentation(ours: string, theirs: string): boolean {
  const a = normalize(ours);
  const b = normalize(theirs.replace(/::h[0-9a-f]{16}$/, ''));
  return a === b || b.endsWith(' ' + a);
}

const LITERAL_SUFFIX: Record<string, string> = { 'unsigned long': 'ul', long: 'l', 'unsigned int': 'u', int: '', bool: '' };

function normalize(s: string): string {
  return s
    .replace(/> >/g, '>>')
    .replace(/\((unsigned long|long|unsigned int|int|bool)\)(\d+)/g, (_m, t: string, v: string) => v + LITERAL_SUFFIX[t])
    .replace(/std::basic_(o|i|io)stream<char, std::char_traits<char>>/g, 'std::$1stream')
    .replace(/std::basic_string<char, std::char_traits<char>, std::allocator<char>>/g, 'std::string');
}
