// `nodescope demo`: the embedded default. Starts the bundled heat-map service, sends it the
// request that makes bucketize() loop forever (max === min), reads it live in place, prints the JS
// stack and the offending argument, stops the service and explains what was shown.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Session } from '../analysis/session.js';
import { stackAnalysis } from '../analysis/stack.js';
import { inspectValue } from '../analysis/inspect/inspect-value.js';
import { renderValue } from '../render/value/value-text.js';
import { parseAddress } from '../util/hex.js';
import type { StackFrame } from '../analysis/stack-model.js';
import type { ValueNode } from '../analysis/inspect/value-node.js';
import { renderStack } from '../render/stack-text.js';
import { makeStyle } from '../render/style.js';
import { readCpuTicks } from '../target/live/proc-status.js';
import { TargetError } from '../util/errors.js';
import type { Command, CommandContext } from './command.js';
import { onLiveProcess } from './target-session.js';

const SERVICE = fileURLToPath(new URL('../../../demo/server.js', import.meta.url));

/** Role: the `demo` command. */
export const demoCommand: Command = {
  name: 'demo',
  aliases: [],
  summary: 'run the embedded demo: a service stuck at 100% CPU, diagnosed live without a restart',
  help: `Starts demo/server.js (a heat-map service) with this node, asks it for a heat map whose
max equals its min, which sends bucketize() into an endless loop, then reads the running
process in place (stopped for milliseconds), prints its JS stack with the arguments, and stops the service.
Set NODESCOPE_DEMO_NODE to run the service with another node binary.`,
  args: [{ name: 'json', kind: 'flag', description: 'print the stack result as JSON' }],
  async run(args, ctx) {
    const style = makeStyle(ctx.color);
    const node = ctx.env.NODESCOPE_DEMO_NODE ?? process.execPath;
    const child = spawn(node, [SERVICE], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const { pid, port } = await readyLine(child, 15_000);
      ctx.err(style.dim(`demo: service started (pid ${pid}, port ${port}); sending GET /heatmap?max=11538462&min=11538462\n`));
      sendStuckRequest(port);
      await waitForSpin(pid, 15_000);
      ctx.err(style.dim(`demo: pid ${pid} is spinning at 100% CPU; reading it in place (stopped for milliseconds, then it runs on)\n`));
      // Walked and inspected while frozen; printed once the service runs again.
      const { result, conf } = await onLiveProcess(ctx, pid, (s) => {
        const result = stackAnalysis(s, { tid: pid });
        return { result, conf: hotArgument(s, result.threads[0]?.frames ?? []) };
      });
      if (args.values.json) {
        ctx.out(JSON.stringify(result) + '\n');
        return;
      }
      ctx.out(renderStack(result, style, { verbose: false, all: false }));
      explain(ctx, result.threads[0]?.frames ?? [], conf, style);
    } finally {
      child.kill('SIGKILL');
    }
  },
};

/** The first argument of the innermost JS frame, inspected two levels deep. */
function hotArgument(s: Session, frames: readonly StackFrame[]): ValueNode | undefined {
  const conf = frames.find((f) => f.kind === 'js')?.args?.[0];
  const address = conf?.address !== undefined ? parseAddress(conf.address) : undefined;
  return address !== undefined ? inspectValue(s, address, { depth: 2 }) : undefined;
}

function explain(ctx: CommandContext, frames: readonly StackFrame[], value: ValueNode | undefined, style: ReturnType<typeof makeStyle>): void {
  const hot = frames.find((f) => f.kind === 'js');
  const conf = hot?.args?.[0];
  ctx.out('\n');
  if (conf && value !== undefined) {
    ctx.out(`${style.bold(`arg1 of ${hot?.inferredName ?? hot?.function}:`)} ${conf.address} (${conf.type}) ${conf.preview}\n`);
    ctx.out(style.dim(`in full (nodescope print -p <pid> ${conf.address}):\n`));
    ctx.out(renderValue(value, { breakLength: 100 }) + '\n\n');
  }
  ctx.out(`${style.bold('What you saw:')} the service's main thread is inside ${hot?.inferredName ?? hot?.function ?? 'bucketize'}, called from the request handler,\n`);
  ctx.out(`with max === min in its argument: the step (max - min) / height is 0, so the loop never ends. Found live, no restart.\n`);
}

function readyLine(child: ChildProcess, timeoutMs: number): Promise<{ pid: number; port: number }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new TargetError(`demo service did not start within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new TargetError(`demo service exited early (code ${code})`));
    });
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /NODESCOPE_READY (\d+) (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve({ pid: Number(m[1]), port: Number(m[2]) });
      }
    });
  });
}

function sendStuckRequest(port: number): void {
  const req = request({ host: '127.0.0.1', port, path: '/heatmap?max=11538462&min=11538462' });
  req.on('error', () => {});
  req.end();
}

async function waitForSpin(pid: number, timeoutMs: number): Promise<void> {
  const start = readCpuTicks(pid) ?? 0;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const now = readCpuTicks(pid);
    if (now === undefined) throw new TargetError(`demo service (pid ${pid}) exited`);
    if (now - start >= 30) return;
  }
  throw new TargetError(`demo service (pid ${pid}) did not start spinning within ${timeoutMs} ms`);
}
