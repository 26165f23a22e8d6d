// `nodescope flamegraph`: render (or convert) an existing profile file: folded stacks, a
// Chrome .cpuprofile, pprof or speedscope JSON, into an SVG/HTML flame graph or another format.
import { basename } from 'node:path';
import { readProfileFile } from '../profile/read-profile.js';
import type { Command } from './command.js';
import { outputOf, writeProfile } from './profile.js';

/** Role: the `flamegraph` command. */
export const flamegraphCommand: Command = {
  name: 'flamegraph',
  aliases: [],
  summary: 'draw a flame graph (or convert) from a folded, .cpuprofile, pprof or speedscope file',
  help: `Usage:
  nodescope flamegraph IN [-o OUT] [--format F] [--inverted] [--title T]
Examples:
  nodescope flamegraph in.folded -o out.svg
  nodescope flamegraph app.cpuprofile -o app.html
  nodescope flamegraph cpu.pb.gz --format collapsed -o cpu.folded
The input format is recognised from the content; the output format from --format or -o.`,
  args: [
    { name: 'input', kind: 'positional', required: true, description: 'profile file to read' },
    { name: 'output', kind: 'option', short: 'o', description: 'output file (default: the input name with .svg)' },
    { name: 'format', kind: 'option', description: 'output format (svg, html, collapsed, speedscope, pprof, cpuprofile)' },
    { name: 'inverted', kind: 'flag', description: 'draw an icicle graph (root at the top)' },
    { name: 'title', kind: 'option', description: 'title of the graph' },
  ],
  async run(args, ctx) {
    const input = String(args.values.input);
    const profile = readProfileFile(input);
    const stem = basename(input).replace(/(\.pb)?\.(gz|folded|collapsed|txt|cpuprofile|json|pprof|pb)$/i, '');
    const { format, path } = outputOf(args.values, stem);
    writeProfile(profile, path, format, ctx, (args.values.title as string | undefined) ?? basename(input), args.values.inverted === true);
    return 0;
  },
};
