// `nodescope triage DIR|core…`: groups many cores by crash signature (kind, error, normalised
// message, top in-app frames). Directories are searched one level deep for cores, plain or
// compressed; --systemd adds systemd-coredump's store. One unreadable core is reported, not fatal.
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crashReport, groupCrashes, type CrashReport } from '../analysis/node/triage.js';
import { compressionOf } from '../io/decompress.js';
import { renderTriage } from '../render/node/triage-text.js';
import { makeStyle } from '../render/style.js';
import { isNodescopeError, UsageError } from '../util/errors.js';
import { BINARY_ARG, JSON_ARG } from './common-args.js';
import type { Command } from './command.js';
import { withSession } from './with-session.js';

/** Where systemd-coredump stores cores (coredumpctl's storage). */
const SYSTEMD_STORE = '/var/lib/systemd/coredump';

function isCoreFile(path: string): boolean {
  const b = Buffer.alloc(18);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, b, 0, 18, 0);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const elfCore = b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46 && b.readUInt16LE(16) === 4;
  return elfCore || compressionOf(b) !== undefined;
}

/** The core files a list of paths names: files as given, directories' core files (one level). */
export function coreFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new UsageError(`triage: no such file or directory: ${p}`);
    if (!statSync(p).isDirectory()) {
      out.push(p);
      continue;
    }
    for (const name of readdirSync(p).sort()) {
      const f = join(p, name);
      if (statSync(f).isFile() && isCoreFile(f)) out.push(f);
    }
  }
  return [...new Set(out)];
}

/** Role: the `triage` command. */
export const triageCommand: Command = {
  name: 'triage',
  aliases: ['group'],
  summary: 'group many cores by crash signature: count, first and last seen, versions, an example core',
  help: `Examples:
  nodescope triage /var/crash/                 # every core in a directory (plain, .zst, .xz, .lz4)
  nodescope triage core.1 core.2 core.3
  nodescope triage --systemd                   # systemd-coredump's store (${SYSTEMD_STORE})
  nodescope triage /var/crash --json
A signature is: crash kind | error constructor: message with numbers, hex, quoted strings and
paths replaced by placeholders | the top three in-app JS frames (function and file, no line).
Node and V8 versions are attributes of a group, not part of its signature.`,
  args: [
    { name: 'paths', kind: 'positional', repeatable: true, description: 'core files or directories of cores' },
    { name: 'systemd', kind: 'flag', description: `also the cores systemd-coredump stored in ${SYSTEMD_STORE}` },
    BINARY_ARG,
    JSON_ARG,
  ],
  async run(args, ctx) {
    const paths = [...((args.values.paths as string[] | undefined) ?? [])];
    if (args.values.systemd === true) {
      if (!existsSync(SYSTEMD_STORE)) throw new UsageError(`triage: --systemd: ${SYSTEMD_STORE} does not exist on this machine`);
      paths.push(SYSTEMD_STORE);
    }
    if (paths.length === 0) throw new UsageError("triage: give core files or directories (or --systemd); see 'nodescope triage --help'");
    const reports: CrashReport[] = [];
    const failed: { core: string; problem: string }[] = [];
    const files = coreFiles(paths);
    const bar = ctx.progress('reading cores');
    try {
      for (const [i, core] of files.entries()) {
        bar.update(core, i / files.length);
        try {
          const time = statSync(core).mtime;
          reports.push(await withSession(ctx, core, args.values.binary as string | undefined, (s) => crashReport(s, core, time)));
        } catch (e) {
          if (!isNodescopeError(e)) throw e;
          failed.push({ core, problem: e.message });
        }
      }
    } finally {
      bar.done();
    }
    const r = groupCrashes(reports, failed);
    ctx.out(args.values.json ? JSON.stringify(r) + '\n' : renderTriage(r, makeStyle(ctx.color)));
    return r.groups.length === 0 && failed.length > 0 ? 2 : 0;
  },
};
