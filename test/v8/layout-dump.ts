// Development tool: prints the V8 layout of a node binary (and, with a core, of the process).
// Usage: node dist/test/v8/layout-dump.js <node-binary> [core]
import { FileByteSource } from '../../src/io/byte-source.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { openCore } from '../../src/target/core/core-target.js';
import { loadV8Layout } from '../../src/v8/layout/v8-layout.js';
import { findNodeVersion } from '../../src/v8/layout/versions.js';

const [binPath, corePath] = process.argv.slice(2);
if (binPath === undefined) throw new Error('usage: layout-dump <node-binary> [core]');
const elf = ElfFile.open(new FileByteSource(binPath));
const target = corePath !== undefined ? openCore(corePath, { binary: binPath }) : undefined;
const layout = loadV8Layout(elf, target?.space, 0, { binaryName: binPath });
console.log(`V8 ${layout.v8Version} node ${findNodeVersion(elf)} types=${layout.types.size}`);
for (const c of layout.constants) {
  console.log(`${c.required ? 'R' : 'o'} ${c.name.padEnd(50)} ${String(c.value ?? 'MISSING').padStart(10)} ${c.source ?? ''} ${c.symbol ?? c.fallbackDoc ?? ''}`);
}
