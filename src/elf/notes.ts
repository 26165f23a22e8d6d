// ELF note iteration over a note segment or section (namesz, descsz, type, name, desc; 4-byte
// aligned). Bounded: a corrupt size ends the walk with FormatError, never an over-read.
import { FormatError } from '../util/errors.js';

/** One ELF note. */
export interface ElfNote {
  readonly name: string;
  readonly type: number;
  readonly desc: Buffer;
}

const align4 = (n: number): number => (n + 3) & ~3;

/** Parses every note in `data`; `file` names the source in errors. */
export function parseNotes(data: Buffer, file: string): ElfNote[] {
  const notes: ElfNote[] = [];
  let off = 0;
  while (off + 12 <= data.length) {
    const namesz = data.readUInt32LE(off);
    const descsz = data.readUInt32LE(off + 4);
    const type = data.readUInt32LE(off + 8);
    const nameStart = off + 12;
    const descStart = nameStart + align4(namesz);
    const end = descStart + align4(descsz);
    if (namesz > data.length || descsz > data.length || descStart + descsz > data.length) {
      throw new FormatError(file, `note at offset ${off} overruns its segment`);
    }
    let name = data.toString('latin1', nameStart, nameStart + namesz);
    const nul = name.indexOf('\0');
    if (nul >= 0) name = name.slice(0, nul);
    notes.push({ name, type, desc: data.subarray(descStart, descStart + descsz) });
    off = end;
  }
  return notes;
}
