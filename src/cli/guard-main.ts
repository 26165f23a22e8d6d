// Entry of the live guard: a small process that outlives nodescope and undoes what a live
// command changed in its target if nodescope dies before undoing it itself (kill -9 included).
// Started with --launch, it starts itself again detached and exits, so the guard belongs to no
// process tree or group of nodescope's. nodescope hands the launcher one socket as fd 3 (not
// stdin: Node destroys a child's stdin stream when that child exits, and the launcher exits at
// once); the guard gets it as stdin and stdout, and EOF on it means nodescope is gone. Protocol: one JSON line per request, `ok <id>` per answer.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { carryOut, type GuardDuty } from '../target/live/guard-duties.js';

interface Request {
  readonly op: 'hold' | 'release' | 'bye';
  readonly id?: number;
  readonly duty?: GuardDuty;
}

if (process.argv.includes('--launch')) {
  // Double fork: the real guard inherits the socket to nodescope, and its parent (this launcher)
  // is gone at once, so it is re-parented away from nodescope's tree.
  // `--owner PID` only names, in ps, the nodescope this guard serves.
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(3)], { detached: true, stdio: [3, 3, 'ignore'] });
  child.unref();
  process.exit(0);
}

const held = new Map<number, GuardDuty>();
let finished = false;
process.stdout.on('error', () => {
  // nodescope is gone; EOF on stdin follows.
});
process.stdout.write('ready\n');
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let r: Request;
  try {
    r = JSON.parse(line) as Request;
  } catch {
    return;
  }
  if (r.op === 'hold' && r.id !== undefined && r.duty !== undefined) held.set(r.id, r.duty);
  else if (r.op === 'release' && r.id !== undefined) held.delete(r.id);
  else if (r.op === 'bye') {
    held.clear();
    finished = true;
  }
  if (r.id !== undefined) process.stdout.write(`ok ${r.id}\n`);
  if (finished) process.exit(0);
});
rl.on('close', () => {
  if (finished) return;
  void carryOut([...held.values()]).then(() => process.exit(0));
});
