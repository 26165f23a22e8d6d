// `nodescope layout`: which V8/Node versions a core or binary holds and every metadata constant
// the model uses, with value and source (file, target memory or documented fallback).
import { FileByteSource } from '../io/byte-source.js';
import { ET_CORE } from '../elf/constants.js';
import { ElfFile } from '../elf/elf-file.js';
import { findNodeVersion } from '../v8/layout/versions.js';
import { loadV8Layout, type ConstantReport } from '../v8/layout/v8-layout.js';
import { Session } from './session.js';

/** Result of the layout analysis: plain data for text or JSON. */
export interface LayoutInfo {
  readonly target: string;
  readonly binary: string;
  readonly buildId?: string;
  readonly nodeVersion?: string;
  readonly v8Version?: string;
  readonly constants: readonly ConstantReport[];
  readonly missing: readonly string[];
}

/** Loads the layout of a core (with .bss values from its memory) or of a bare node binary. */
export function layoutInfo(path: string, binary?: string): LayoutInfo {
  const src = new FileByteSource(path, 1024 * 1024);
  let isCore: boolean;
  try {
    isCore = ElfFile.open(src).type === ET_CORE;
  } finally {
    src.close();
  }
  if (isCore) {
    const s = Session.openCore(path, binary ? { binary } : {});
    try {
      const layout = s.layout();
      const bin = s.binary();
      return describe(path, s.target.binaryPath, bin, layout.constants, layout.missing, layout.v8Version);
    } finally {
      s.close();
    }
  }
  const bin = ElfFile.open(new FileByteSource(path, 32 * 1024 * 1024));
  try {
    const layout = loadV8Layout(bin, undefined, 0, { binaryName: path });
    return describe(path, path, bin, layout.constants, layout.missing, layout.v8Version);
  } finally {
    bin.source.close();
  }
}

function describe(target: string, binaryPath: string, bin: ElfFile, constants: readonly ConstantReport[], missing: readonly string[], v8Version?: string): LayoutInfo {
  const buildId = bin.buildId();
  const nodeVersion = findNodeVersion(bin);
  return {
    target,
    binary: binaryPath,
    ...(buildId ? { buildId } : {}),
    ...(nodeVersion ? { nodeVersion } : {}),
    ...(v8Version ? { v8Version } : {}),
    constants,
    missing,
  };
}
