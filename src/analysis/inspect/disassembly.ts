// Machine code of a function for `function --disassemble`: the instructions of its Code object
// decoded with iced-x86 (AT&T syntax, as objdump prints it), direct call and jump targets named
// when they land in an embedded builtin. Interpreted and lazy functions run a shared builtin
// (InterpreterEntryTrampoline, CompileLazy): that is named, not disassembled, unless asked.
import type * as Iced from 'iced-x86';
import { lazyRequire } from '../../util/lazy-require.js';

const iced = lazyRequire<typeof Iced>('iced-x86');
import type { Session } from '../session.js';
import { functionReport, type FunctionReport } from './function-report.js';

/** Role: one decoded instruction. */
export interface DisassembledInstruction {
  readonly address: number;
  /** The instruction's bytes, as lowercase hex. */
  readonly bytes: string;
  /** AT&T text: `mov 0x18(%rbp),%rax`. */
  readonly text: string;
  /** Target of a direct call or jump. */
  readonly target?: number;
  /** The builtin (or other symbol) at `target`. */
  readonly targetName?: string;
}

/** Role: what `function --disassemble` prints. */
export interface DisassemblyReport {
  readonly function: FunctionReport;
  /** The builtin the function runs instead of code of its own (interpreted, lazy). */
  readonly builtin?: string;
  readonly instructions: readonly DisassembledInstruction[];
  /** Instructions not decoded because of the limit. */
  readonly truncated: boolean;
  readonly note?: string;
}

/** Options of disassembly. */
export interface DisassemblyOptions {
  /** Most instructions decoded (default 4000). */
  readonly maxInstructions?: number;
  /** Also disassemble a builtin that an interpreted or lazy function runs. */
  readonly builtin?: boolean;
}

/** Largest code read (bytes); V8's Code objects are far smaller. */
const MAX_CODE_BYTES = 1 << 20;
const flowWithTarget = (f: Iced.FlowControl): boolean => {
  const { FlowControl } = iced();
  return f === FlowControl.Call || f === FlowControl.UnconditionalBranch || f === FlowControl.ConditionalBranch;
};

/** Decodes x86-64 `bytes` loaded at `address`, naming direct branch targets with `nameOf`. */
export function disassemble(bytes: Uint8Array, address: number, nameOf: (a: number) => string | undefined = () => undefined, maxInstructions = 4000): { instructions: DisassembledInstruction[]; truncated: boolean } {
  const { Decoder, DecoderOptions, Formatter, FormatterSyntax } = iced();
  const decoder = new Decoder(64, bytes, DecoderOptions.None);
  const formatter = new Formatter(FormatterSyntax.Gas);
  const out: DisassembledInstruction[] = [];
  try {
    decoder.ip = BigInt(address);
    formatter.uppercaseHex = false;
    formatter.ripRelativeAddresses = true;
    formatter.spaceAfterOperandSeparator = false;
    formatter.branchLeadingZeros = false;
    // Hex everywhere, as objdump prints; iced-x86 1.21's small-number test also misreads 64-bit
    // immediates whose low half is small (movabs $0x4a00000000 came out as $0).
    formatter.smallHexNumbersInDecimal = false;
    while (decoder.canDecode && out.length < maxInstructions) {
      const ins = decoder.decode();
      try {
        const at = Number(ins.ip);
        const off = at - address;
        const entry: DisassembledInstruction = { address: at, bytes: Buffer.from(bytes.subarray(off, off + ins.length)).toString('hex'), text: formatter.format(ins) };
        if (flowWithTarget(ins.flowControl)) {
          const target = Number(ins.nearBranchTarget);
          const name = nameOf(target);
          out.push({ ...entry, target, ...(name !== undefined ? { targetName: name } : {}) });
        } else out.push(entry);
      } finally {
        ins.free();
      }
    }
    return { instructions: out, truncated: decoder.canDecode };
  } finally {
    decoder.free();
    formatter.free();
  }
}

/** Disassembles the code of the function at `address`. */
export function functionDisassembly(session: Session, address: number, options: DisassemblyOptions = {}): DisassemblyReport {
  const fn = functionReport(session, address);
  const builtins = session.builtins();
  const nameOf = (a: number): string | undefined => {
    const b = builtins.find(a);
    return b === undefined ? undefined : `Builtins_${b}`;
  };
  if (fn.instructionStart === undefined || fn.instructionSize === undefined) {
    return { function: fn, instructions: [], truncated: false, note: fn.tierNote ?? 'the function has no Code with instructions' };
  }
  const builtin = builtins.find(fn.instructionStart);
  if (builtin !== undefined && !options.builtin) {
    return { function: fn, builtin, instructions: [], truncated: false, note: `runs the shared builtin ${builtin}, not code of its own (--builtin disassembles it)` };
  }
  const size = Math.min(fn.instructionSize, MAX_CODE_BYTES);
  const bytes = session.target.space.tryRead(fn.instructionStart, size);
  if (bytes === undefined) return { function: fn, instructions: [], truncated: false, note: `the instructions at 0x${fn.instructionStart.toString(16)} are not in the core` };
  const r = disassemble(bytes, fn.instructionStart, nameOf, options.maxInstructions);
  return { function: fn, ...(builtin !== undefined ? { builtin } : {}), instructions: r.instructions, truncated: r.truncated || size < fn.instructionSize };
}
