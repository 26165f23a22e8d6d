// Development tool: walks the rbp chain of each thread of a core and classifies every frame
// with the V8 model, printing what it finds. Usage: node dist/test/v8/jsstack-dev.js <core> <node-binary>
import { FileByteSource } from '../../src/io/byte-source.js';
import { ElfFile } from '../../src/elf/elf-file.js';
import { openCore } from '../../src/target/core/core-target.js';
import { loadV8Layout } from '../../src/v8/layout/v8-layout.js';
import { loadBytecodeSizes } from '../../src/v8/layout/bytecode-sizes.js';
import { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { BuiltinRanges, remappedBuiltinAliases } from '../../src/v8/frames/builtin-ranges.js';
import { classifyV8Frame } from '../../src/v8/frames/v8-frame.js';
import { walkFramePointers } from './fp-walk.js';

const [corePath, binPath] = process.argv.slice(2);
if (corePath === undefined || binPath === undefined) throw new Error('usage: jsstack-dev <core> <node-binary>');
const elf = ElfFile.open(new FileByteSource(binPath));
const target = openCore(corePath, { binary: binPath });
const layout = loadV8Layout(elf, target.space, 0, { binaryName: binPath });
const heap = new V8Heap(target.space, layout);
const aliases = remappedBuiltinAliases(target.space.mappings(), target.executablePath, elf.programHeaders, 0);
const ctx = { heap, builtins: new BuiltinRanges(elf.symbols(), 0, aliases), positionTables: new Map(), bytecodeSizes: loadBytecodeSizes(elf) };
const thread = target.threads[0]!;
for (const { fp, pc } of walkFramePointers(target.space, thread.regs.rbp, thread.regs.rip, 64)) {
  const f = classifyV8Frame(ctx, fp, pc);
  if (f.kind === 'unknown') {
    console.log(`?? fp=0x${fp.toString(16)} pc=0x${pc.toString(16)} ${f.builtin ?? ''} ${f.reason}`);
    continue;
  }
  if (f.kind !== 'js') {
    console.log(`<${f.kind}> ${f.typeName}`);
    continue;
  }
  const fn = f.function;
  console.log(
    `js ${f.tier} ${fn?.name || '(anon)'} [${fn?.inferredName ?? ''}] ${fn?.scriptName ?? '?'}:${fn?.line}:${fn?.column} cur=${f.currentLine ?? '-'} argc=${f.argc} formal=${fn?.formalParameterCount} bc=${f.bytecodeOffset ?? '-'} builtin=${f.executingBuiltin ?? '-'}`,
  );
  console.log(`    this=${JSON.stringify(f.receiver)}`);
  for (const a of f.args ?? []) console.log(`    arg ${JSON.stringify(a)}`);
}
