// nodescope/probes: module probes for application code, in node-dtrace-provider's shape
// (createProvider → addProbe → fire(cb)). With no nodescope attached fire() is an empty method V8
// inlines away, and its callback never runs. The agent, when attached, finds every
// provider through a registry on globalThis (shared by every copy of this module) and enables the
// probes a trace program names. CommonJS so that require() and import both load it.

/** Role: what fire()'s callback returns: the probe's arguments, arg0… in order. */
type ProbeArgs = readonly unknown[];

/** Role: the agent's side of one probe: called with the callback when the probe fires enabled. */
type ProbeHandler = (probe: Probe, cb: (probe: Probe) => ProbeArgs) => void;

/** Role: the shared registry of every provider in the process (one per process, any copy). */
export interface ProbeRegistry {
  readonly version: 1;
  readonly providers: Map<string, Provider>;
  /** Set by an attached agent: told of each probe added after it attached. */
  onAdd: ((probe: Probe) => void) | undefined;
}

const REGISTRY = Symbol.for('nodescope.probes.v1');

/** The process's probe registry, made on first use. */
export function probeRegistry(): ProbeRegistry {
  const g = globalThis as unknown as Record<symbol, ProbeRegistry | undefined>;
  let r = g[REGISTRY];
  if (r === undefined) {
    r = { version: 1, providers: new Map(), onAdd: undefined };
    Object.defineProperty(globalThis, REGISTRY, { value: r, enumerable: false, configurable: true, writable: false });
  }
  return r;
}

/**
 * Role: one probe. While no trace enables it, `fire` is an empty method, so V8 inlines it to
 * nothing (the callback's closure is not even made); enabling swaps the probe's prototype to
 * EnabledProbe, as diagnostics_channel swaps a Channel's to ActiveChannel.
 */
export class Probe {
  /** The agent's handler while enabled. */
  handler: ProbeHandler | undefined = undefined;
  constructor(
    readonly provider: string,
    readonly name: string,
    /** The declared argument types ('string', 'int', 'json', …), as node-dtrace-provider takes them. */
    readonly types: readonly string[],
  ) {}

  /** Whether an attached trace program wants this probe (for `if (probe.enabled)` around costly setup). */
  get enabled(): boolean {
    return false;
  }

  /** Fires the probe: when enabled, `cb` is called for the arguments; when not, nothing runs. */
  fire(_cb: (probe: Probe) => ProbeArgs): void {}

  /** Enables the probe with the agent's handler (agent use only). */
  _nodescopeEnable(handler: ProbeHandler): void {
    this.handler = handler;
    Object.setPrototypeOf(this, EnabledProbe.prototype);
  }

  /** Disables the probe again (agent use only). */
  _nodescopeDisable(): void {
    this.handler = undefined;
    Object.setPrototypeOf(this, Probe.prototype);
  }
}

/** Role: the prototype of an enabled probe: fire() hands the callback to the agent. */
class EnabledProbe extends Probe {
  override get enabled(): boolean {
    return true;
  }

  override fire(cb: (probe: Probe) => ProbeArgs): void {
    this.handler!(this, cb);
  }
}

/** Role: a named group of probes (node-dtrace-provider's DTraceProvider). */
export class Provider {
  readonly probes = new Map<string, Probe>();
  constructor(readonly name: string) {}

  /** Adds (or returns the existing) probe `name` with the given argument types. */
  addProbe(name: string, ...types: string[]): Probe {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) throw new TypeError(`nodescope/probes: bad probe name ${JSON.stringify(name)}`);
    let p = this.probes.get(name);
    if (p !== undefined) return p;
    p = new Probe(this.name, name, types.map(String));
    this.probes.set(name, p);
    const onAdd = probeRegistry().onAdd;
    if (onAdd !== undefined) {
      try {
        onAdd(p);
      } catch {
        // The agent never throws into the app.
      }
    }
    return p;
  }

  /** Removes the probe `name` (it stops firing). */
  removeProbe(name: string): void {
    const p = this.probes.get(name);
    if (p === undefined) return;
    p._nodescopeDisable();
    this.probes.delete(name);
  }

  /** Fires the probe `name` (node-dtrace-provider's provider.fire). */
  fire(name: string, cb: (probe: Probe) => ProbeArgs): void {
    const p = this.probes.get(name);
    if (p !== undefined && p.enabled) p.handler!(p, cb);
  }

  /** Kept for node-dtrace-provider compatibility: probes are always available to nodescope. */
  enable(): void {}

  /** Kept for node-dtrace-provider compatibility. */
  disable(): void {}
}

/** Creates (or returns the existing) provider `name`. */
export function createProvider(name: string): Provider {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new TypeError(`nodescope/probes: bad provider name ${JSON.stringify(name)}`);
  const reg = probeRegistry();
  let p = reg.providers.get(name);
  if (p === undefined) {
    p = new Provider(name);
    reg.providers.set(name, p);
  }
  return p;
}
