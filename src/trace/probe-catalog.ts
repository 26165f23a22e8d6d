// The built-in probes the agent offers in every Node process with no change to the app: what each
// is called, its arguments (arg0… in this order, and by name) and where it comes from
// (diagnostics_channel, perf_hooks, process events, a timer). docs/probes.md lists the same.
// Module probes (nodescope/probes) are not here: the app defines them, and their arguments are
// arg0…argN of the types it declared.

/** Role: the type of a probe argument or expression in the language. */
export type ValueType = 'number' | 'string' | 'stack' | 'any';

/** Role: one argument of a built-in probe. */
export interface ProbeArg {
  readonly name: string;
  readonly type: ValueType;
  readonly description: string;
}

/** Role: one built-in probe. */
export interface BuiltinProbe {
  readonly provider: string;
  readonly name: string;
  readonly args: readonly ProbeArg[];
  /** Where Node gives us the event. */
  readonly source: string;
  readonly description: string;
}

const a = (name: string, type: ValueType, description: string): ProbeArg => ({ name, type, description });
const METHOD = a('method', 'string', 'request method (GET, POST, …)');
const URL_ = a('url', 'string', 'request URL as the client sent it (path and query)');
const REMOTE = a('remote_address', 'string', 'peer IP address');
const RPORT = a('remote_port', 'number', 'peer port');
const STATUS = a('status', 'number', 'response status code');
const LATENCY = a('latency_ms', 'number', 'ms from the request start probe to this one');
const HOST = a('host', 'string', 'host the request goes to');
const PATH = a('path', 'string', 'request path and query');
const ERR_NAME = a('name', 'string', "the error's name (Error, TypeError, …), or its type if not an Error");
const ERR_MSG = a('message', 'string', "the error's message, or String(value)");

/** Role: every built-in probe, in the order --list and docs/probes.md show them. */
export const BUILTIN_PROBES: readonly BuiltinProbe[] = [
  { provider: 'gc', name: 'start', args: [a('kind', 'string', 'minor, major, incremental or weakcb'), a('flags', 'number', "V8's GC callback flags")], source: "perf_hooks PerformanceObserver 'gc' (fired when V8 reports the GC, with its start time)", description: 'a garbage collection began' },
  { provider: 'gc', name: 'done', args: [a('kind', 'string', 'minor, major, incremental or weakcb'), a('flags', 'number', "V8's GC callback flags"), a('duration_us', 'number', 'pause in microseconds')], source: "perf_hooks PerformanceObserver 'gc'", description: 'a garbage collection ended' },
  { provider: 'http', name: 'server-request', args: [METHOD, URL_, REMOTE, RPORT], source: 'diagnostics_channel http.server.request.start', description: 'an HTTP server received a request' },
  { provider: 'http', name: 'server-response', args: [METHOD, URL_, STATUS, LATENCY, REMOTE, RPORT], source: 'diagnostics_channel http.server.response.finish', description: 'an HTTP server finished a response' },
  { provider: 'http', name: 'client-request', args: [METHOD, HOST, PATH], source: 'diagnostics_channel http.client.request.start', description: 'an http.request() began' },
  { provider: 'http', name: 'client-response', args: [METHOD, HOST, PATH, STATUS, LATENCY], source: 'diagnostics_channel http.client.response.finish', description: 'an http.request() got its response' },
  { provider: 'net', name: 'connect', args: [REMOTE, RPORT], source: "diagnostics_channel net.client.socket, then the socket's connect", description: 'an outgoing TCP connection was established' },
  { provider: 'net', name: 'server-connection', args: [REMOTE, RPORT], source: 'diagnostics_channel net.server.socket', description: 'a server accepted a TCP connection' },
  { provider: 'fetch', name: 'request', args: [METHOD, a('origin', 'string', 'scheme, host and port'), PATH], source: 'diagnostics_channel undici:request:create', description: 'fetch() (undici) created a request' },
  { provider: 'fetch', name: 'response', args: [METHOD, a('origin', 'string', 'scheme, host and port'), PATH, STATUS, LATENCY], source: 'diagnostics_channel undici:request:headers', description: 'fetch() (undici) got response headers' },
  { provider: 'fetch', name: 'error', args: [METHOD, a('origin', 'string', 'scheme, host and port'), PATH, ERR_MSG], source: 'diagnostics_channel undici:request:error', description: 'a fetch() (undici) request failed' },
  { provider: 'loop', name: 'lag', args: [a('lag_ms', 'number', 'how late a 100 ms timer ran')], source: 'a 100 ms unref()ed timer, only while the probe is enabled', description: 'event-loop lag, every 100 ms' },
  { provider: 'loop', name: 'utilization', args: [a('utilization', 'number', 'event-loop utilization over the last second, 0 to 1')], source: 'perf_hooks performance.eventLoopUtilization(), every second', description: 'event-loop utilization, every second' },
  { provider: 'process', name: 'uncaught-exception', args: [ERR_NAME, ERR_MSG], source: "process 'uncaughtExceptionMonitor' (observes, changes nothing)", description: 'an exception reached the top of the stack' },
  { provider: 'process', name: 'unhandled-rejection', args: [ERR_NAME, ERR_MSG], source: "process 'unhandledRejection' (when the app has no listener of its own, the rejection is rethrown as Node's default would)", description: 'a promise was rejected with no handler' },
];

/** Role: the built-in variables every clause may read. */
export const BUILTIN_VARIABLES: Readonly<Record<string, { type: ValueType; description: string }>> = {
  timestamp: { type: 'number', description: 'nanoseconds on a monotonic clock (process.hrtime)' },
  walltimestamp: { type: 'number', description: 'nanoseconds since the Unix epoch' },
  pid: { type: 'number', description: 'the traced process' },
  probeprov: { type: 'string', description: "the firing probe's provider" },
  probename: { type: 'string', description: "the firing probe's name" },
};

/** Role: the providers of built-in probes. */
export const BUILTIN_PROVIDERS: readonly string[] = [...new Set(BUILTIN_PROBES.map((p) => p.provider))];

/** Whether `text` matches the glob `pattern` (`*` any run, `?` one character). */
export function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(text);
}
