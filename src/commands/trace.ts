// `nodescope trace`: dynamic tracing of a running Node process with a D-like one-liner. The
// program is compiled on our side (syntax and type errors stop here, with a caret), the agent gets
// in through the inspector (closed again at once) or the preloaded agent's socket, aggregates in
// the process, and only aggregates come back: at printa, at tick clauses that ask, and at the end.
import { readFileSync } from 'node:fs';
import { compileTrace } from '../trace/lang/compile.js';
import type { CompiledProgram } from '../trace/lang/compiled-program.js';
import { listProbes, runTrace, type AggregationSnapshot, type TraceResult } from '../trace/trace-run.js';
import { BUILTIN_PROBES } from '../trace/probe-catalog.js';
import { aggregationsText, sortedEntries } from '../render/trace/aggregation-text.js';
import { formatPrintf } from '../render/trace/printf-format.js';
import { FileError, UsageError } from '../util/errors.js';
import { JSON_ARG } from './common-args.js';
import type { Command, CommandContext } from './command.js';

function programText(values: Record<string, unknown>): { source: string; file: string } {
  const file = values.script as string | undefined;
  const inline = values.program as string | undefined;
  if (file !== undefined && inline !== undefined) throw new UsageError('trace: give a program or -e FILE, not both');
  if (file !== undefined) {
    try {
      return { source: readFileSync(file, 'utf8'), file };
    } catch (e) {
      throw new FileError(file, `cannot read the trace script (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (inline === undefined) throw new UsageError("trace: missing the program, e.g. 'http:server-request { @[url] = count() }' (or -e FILE, or --list)");
  return { source: inline, file: '<program>' };
}

/** Only warnings of the attach reach stderr: once probes are live, the `tracing …` line is the one line. */
function warningsTo(ctx: CommandContext): (line: string) => void {
  return (line) => {
    if (line.startsWith('warning')) ctx.err(`${line}\n`);
  };
}

function lquantizeBounds(p: CompiledProgram): Map<string, { lo: number; hi: number; step: number }> {
  return new Map(p.aggs.filter((a) => a.lquantize !== undefined).map((a) => [`@${a.name}`, a.lquantize!]));
}

/** Role: the --json final object (docs/json.md, "trace"): entries sorted as the text prints them. */
export function traceJson(r: TraceResult): Record<string, unknown> {
  return {
    aggregations: r.aggregations.map((a: AggregationSnapshot) => ({ name: a.name, kind: a.kind, entries: sortedEntries(a) })),
    probes: r.probes,
    drops: r.drops,
    pid: r.pid,
    errors: r.errors,
    ended: r.ended,
    attach: r.how,
    pending: r.pending,
    notes: r.notes,
  };
}

async function list(pid: number, ctx: CommandContext, json: boolean): Promise<void> {
  const guard = await ctx.liveGuard();
  try {
    const probes = await listProbes(pid, { guard, signal: ctx.signal, log: warningsTo(ctx), checkpoint: ctx.checkpoint });
    if (json) {
      ctx.out(`${JSON.stringify({ probes })}\n`);
      return;
    }
    const described = new Map(BUILTIN_PROBES.map((p) => [`${p.provider}:${p.name}`, p]));
    const rows = probes.map((p) => {
      const b = described.get(`${p.provider}:${p.name}`);
      const args = b !== undefined ? b.args.map((a) => `${a.name}:${a.type}`).join(', ') : p.args.map((a, i) => `${a}:${p.types?.[i] ?? 'any'}`).join(', ');
      return [`${p.provider}:${p.name}`, p.builtin ? 'built-in' : 'module', args] as const;
    });
    const w0 = Math.max(5, ...rows.map((r) => r[0].length));
    ctx.out(`${'PROBE'.padEnd(w0)}  ${'KIND'.padEnd(8)}  ARGUMENTS\n`);
    for (const [name, kind, args] of rows) ctx.out(`${name.padEnd(w0)}  ${kind.padEnd(8)}  ${args}\n`);
  } finally {
    await guard.close();
  }
}

/** Role: the `trace` command. */
export const traceCommand: Command = {
  name: 'trace',
  aliases: [],
  summary: 'trace a running Node process with probes and in-process aggregations (no restart)',
  help: `Usage:
nodescope trace -p PID 'PROGRAM' [-d SECONDS] [--json]
nodescope trace -p PID -e script.d
nodescope trace -p PID --list                  every probe the process offers, with arguments
Examples:
nodescope trace -p 12345 'gc:done { @["us"] = quantize(duration_us) }'
nodescope trace -p 12345 'http:server-request /method == "POST"/ { @[url] = count() }' -d 30
nodescope trace -p 12345 'http:server-response { @[status] = quantize(latency_ms) } tick:5s { printa(@); clear(@) }'
nodescope trace -p 12345 'myapp:req-start { self.t = timestamp } myapp:req-done /self.t/ { @["ms"] = quantize((timestamp - self.t) / 1e6); self.t = 0 }'
nodescope trace -p 12345 'http:server-request { @[jstack()] = count() }'
The language is a small D: probe descriptions (wildcards: http:*), an optional /predicate/, and
actions: @name[keys] = count() | sum(v) | avg(v) | min(v) | max(v) | stddev(v) | quantize(v) |
lquantize(v, lo, hi, step); self.x = v (per async context); printf, printa, clear, trunc, exit;
timestamp, walltimestamp, pid, probeprov, probename, jstack([n]), strlen(s); BEGIN, END, tick:5s.
Probes: docs/probes.md (built-in: gc, http, net, fetch, loop, process; module probes from
nodescope/probes). The agent gets in through the inspector (SIGUSR1, closed again at once) or the
socket of a preloaded agent (node -r nodescope/agent); it leaves nothing behind on detach.
Aggregations print at the end (-d, Ctrl-C, exit(), or the process exiting).`,
  args: [
    { name: 'pid', kind: 'option', short: 'p', type: 'number', integer: true, min: 1, required: true, description: 'process to trace' },
    { name: 'program', kind: 'positional', description: 'the trace program (one-liner)' },
    { name: 'script', kind: 'option', short: 'e', description: 'read the program from this file' },
    { name: 'duration', kind: 'option', short: 'd', type: 'number', description: 'seconds to trace (default: until Ctrl-C)' },
    { name: 'list', kind: 'flag', description: 'list the probes the process offers, with their arguments' },
    { name: 'max-keys', kind: 'option', type: 'number', integer: true, min: 1, description: 'distinct keys per aggregation kept in the target (default 10000; more are dropped and counted)' },
    JSON_ARG,
  ],
  async run(args, ctx) {
    const v = args.values;
    const pid = v.pid as number;
    const json = v.json === true;
    if (v.list === true) {
      if (v.program !== undefined || v.script !== undefined) throw new UsageError('trace: --list takes no program');
      await list(pid, ctx, json);
      return 0;
    }
    const seconds = v.duration as number | undefined;
    if (seconds !== undefined && !(seconds > 0 && seconds <= 86_400)) throw new UsageError('trace: -d is a number of seconds above 0');
    const { source, file } = programText(v);
    const maxKeys = v['max-keys'] as number | undefined;
    // Compiled before anything touches the process: errors stop here.
    const program = compileTrace(source, file, maxKeys !== undefined ? { limits: { maxKeys } } : {});
    const lq = lquantizeBounds(program);
    const guard = await ctx.liveGuard();
    try {
      const specials = program.clauses.flatMap((c) => c.probes.filter((p) => p.type === 'tick' || p.type === 'begin' || p.type === 'end')).length;
      const result = await runTrace(pid, {
        program,
        durationMs: seconds === undefined ? Infinity : seconds * 1000,
        guard,
        signal: ctx.signal,
        log: warningsTo(ctx),
        checkpoint: ctx.checkpoint,
        onLive: (probes, pending) => {
          const n = probes.length + specials;
          ctx.err(`tracing ${n} probe${n === 1 ? '' : 's'} in process ${pid}; Ctrl-C to stop${pending.length > 0 ? ` (and ${pending.join(', ')} as the app creates them)` : ''}\n`);
        },
        onRecord: (r) => {
          if (r.kind === 'printf') ctx.out(json ? `${JSON.stringify({ printf: formatPrintf(r.format, r.args) })}\n` : formatPrintf(r.format, r.args));
          else ctx.out(json ? `${JSON.stringify({ printa: r.aggregations.map((a) => ({ name: a.name, kind: a.kind, entries: sortedEntries(a) })) })}\n` : aggregationsText(r.aggregations, lq));
        },
      });
      for (const note of result.notes) ctx.err(`note: ${note}\n`);
      ctx.out(json ? `${JSON.stringify(traceJson(result))}\n` : aggregationsText(result.aggregations, lq));
    } finally {
      await guard.close();
    }
    return 0;
  },
};
