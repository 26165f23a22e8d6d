// A core path made readable: a compressed core (systemd-coredump's .zst, .xz, .lz4) is streamed
// into a sparse scratch file first, which is said on stderr and deleted afterwards.
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { compressionOf, decompressCore } from '../io/decompress.js';
import type { CommandContext } from './command.js';

/** Role: a core file to open, and what to do once it is closed. */
export interface PlainCore {
  readonly path: string;
  readonly cleanup: () => void;
}

function head(path: string): Buffer {
  const b = Buffer.alloc(8);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, b, 0, 8, 0);
  } catch {
    // Unreadable or missing: the core reader reports it with its own message.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return b;
}

/** The path to open for `path`: itself, or its decompressed copy in a scratch directory. */
export async function plainCore(ctx: CommandContext, path: string): Promise<PlainCore> {
  const format = compressionOf(head(path));
  if (format === undefined) return { path, cleanup: () => undefined };
  const dir = mkdtempSync(join(ctx.env.TMPDIR ?? tmpdir(), 'nodescope-core-'));
  const dest = join(dir, basename(path).replace(/\.(zst|xz|lz4)$/, '') || 'core');
  ctx.err(`nodescope: ${path} is ${format}-compressed: decompressing into ${dest} (sparse, deleted afterwards)\n`);
  try {
    await decompressCore(path, dest, format);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { path: dest, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
