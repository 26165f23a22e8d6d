// A stand-in for `nodescope profile|flamegraph …` until the lead registers the commands: runs
// them through the CLI's own runCommand and reports errors the way src/cli/main.ts does
// (typed error → one line on stderr, exit 2).
import { flamegraphCommand } from '../../src/commands/flamegraph.js';
import { profileCommand } from '../../src/commands/profile.js';
import { runCommand } from '../../src/cli/run-command.js';
import { NodescopeError } from '../../src/util/errors.js';

async function main(argv: string[]): Promise<number> {
  const command = argv[0] === 'flamegraph' ? flamegraphCommand : profileCommand;
  const sessions = { open: (): never => { throw new Error('no sessions in profile tests'); }, release: (): void => undefined };
  return runCommand(command, argv.slice(1), false, false, sessions as never);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof NodescopeError) {
      process.stderr.write(`nodescope: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`nodescope: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
