// The differential oracle: the menagerie scenario records V8's own view of every value through an
// in-process inspector session before the core is written (Runtime.getProperties with internal
// properties: [[FunctionLocation]], [[Scopes]], [[Prototype]], [[Entries]]; whole strings), and
// this test compares it, field by field, with what nodescope reads from the core: names,
// locations, scope variables, prototypes, entries, own properties and strings. Every difference
// is either fixed or listed in ACCEPTED with the reason it is acceptable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Session } from '../../src/analysis/session.js';
import { closureReport } from '../../src/analysis/inspect/function-report.js';
import { inspectTagged } from '../../src/analysis/inspect/inspect-value.js';
import type { ValueNode } from '../../src/analysis/inspect/value-node.js';
import { keyText, ownNamedProperties } from '../../src/v8/heap/named-properties.js';
import type { Tagged } from '../../src/v8/heap/tagged.js';
import type { V8Heap } from '../../src/v8/heap/v8-heap.js';
import { testedMajors } from '../harness/node-binaries.js';
import { menagerieCore } from './menagerie-core.js';
import { findMenagerieRoot } from './menagerie-root.js';

interface Remote {
  readonly type: string;
  readonly subtype?: string;
  readonly className?: string;
  readonly value?: unknown;
  readonly unserializable?: string;
  readonly description?: string;
}
interface V8View {
  readonly remote: Remote;
  readonly string?: string;
  readonly own?: readonly { name: string; enumerable: boolean; symbol?: boolean; accessor?: { get: boolean; set: boolean }; value?: Remote }[];
  readonly proto?: Remote;
  readonly location?: { line: number; column: number };
  readonly scopes?: readonly { description: string; variables: readonly { name: string; value?: Remote }[] }[];
  readonly entries?: readonly { key?: Remote; value?: Remote }[];
}

/**
 * Differences we keep, by `value/field`, each with its reason. A listed difference that stops
 * occurring fails the test too, so this list stays true.
 */
const ACCEPTED: Readonly<Record<string, string>> = {
  'globalObject/className': "V8's className is the global object's toStringTag, `global`; print names it by its constructor, as util.inspect does (`Object [global]`)",
  'proxy/className': "V8's inspector reports a Proxy's target's class; we report the Proxy itself",
};

/** The accepted entry that covers difference `key` (`value/field`), if any. */
function acceptedFor(key: string): string | undefined {
  return ACCEPTED[key] ?? ACCEPTED[`*/${key.slice(key.indexOf('/') + 1)}`];
}

/** The JS value a primitive RemoteObject stands for, as our ValueNode spells it. */
function remotePrimitive(r: Remote): unknown {
  if (r.unserializable !== undefined) return r.unserializable.replace(/n$/, '');
  return r.value;
}

/** Our value of a primitive node, comparable with remotePrimitive. */
function nodePrimitive(n: ValueNode): unknown {
  if (n.type === 'undefined') return undefined;
  if (n.type === 'null') return null;
  if (n.type === 'bigint') return String(n.value);
  return n.value;
}

function isPrimitive(r: Remote): boolean {
  return r.type !== 'object' && r.type !== 'function' && r.type !== 'symbol';
}

function compareValue(key: string, v8: V8View, ours: ValueNode, diffs: Map<string, string>): void {
  const note = (field: string, what: string): void => {
    if (!diffs.has(`${key}/${field}`)) diffs.set(`${key}/${field}`, what);
  };
  const r = v8.remote;
  if (v8.string !== undefined) {
    if (ours.type !== 'string' || ours.value !== v8.string) note('string', `V8 ${JSON.stringify(v8.string).slice(0, 60)}…(${v8.string.length}), ours ${JSON.stringify(ours.value).slice(0, 60)}…(${String(ours.value).length})`);
    return;
  }
  if (isPrimitive(r)) {
    if (nodePrimitive(ours) !== remotePrimitive(r) && !(Number.isNaN(Number(nodePrimitive(ours))) && remotePrimitive(r) === 'NaN')) note('value', `V8 ${String(remotePrimitive(r))}, ours ${String(nodePrimitive(ours))}`);
    return;
  }
  // Class names: V8's RemoteObject.className against our constructor name.
  const ourClass = ours.type === 'Function' || ours.type === 'BoundFunction' ? 'Function' : (ours.constructorName ?? (ours.type === 'Object' ? 'Object' : ours.type));
  if (r.className !== undefined && r.type !== 'function' && r.className !== ourClass) note('className', `V8 ${r.className}, ours ${ourClass}`);
  if (v8.location !== undefined && ours.location !== undefined && (v8.location.line !== ours.location.line || v8.location.column !== ours.location.column)) {
    note('location', `V8 ${v8.location.line}:${v8.location.column}, ours ${ours.location.line}:${ours.location.column}`);
  }
  // Own named properties (strings and symbols; not array indices, not a function's own length/name/prototype).
  if (v8.own !== undefined && r.type === 'object' && r.subtype !== 'array' && r.subtype !== 'typedarray' && r.subtype !== 'arraybuffer' && r.subtype !== 'proxy') {
    // The recorder's own temporaries (__nodescopeKit…) were on globalThis while V8 was asked.
    const theirs = v8.own.filter((p) => !/^\d+$/.test(p.name) && (p.enumerable || p.symbol !== true) && p.name !== 'length' && !p.name.startsWith('__nodescopeKit')).map((p) => p.name);
    const mine = (ours.properties ?? []).map((p) => p.name.replace(/^\[(Symbol\(.*\))\]$/, '$1'));
    const missing = theirs.filter((n) => !mine.includes(n) && v8.own!.find((p) => p.name === n)!.enumerable);
    if (missing.length > 0) note('own', `missing ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ` (+${missing.length - 8})` : ''}`);
    for (const p of v8.own) {
      const m = ours.properties?.find((x) => x.name === p.name || x.name === `[${p.name}]`);
      if (m === undefined || p.value === undefined || !isPrimitive(p.value)) continue;
      if (m.accessor !== undefined) continue;
      if (nodePrimitive(m.value) !== remotePrimitive(p.value)) note(`own.${p.name}`, `V8 ${String(remotePrimitive(p.value))}, ours ${String(nodePrimitive(m.value))}`);
    }
    for (const p of v8.own.filter((x) => x.accessor !== undefined)) {
      const m = ours.properties?.find((x) => x.name === p.name);
      const want = p.accessor!.get && p.accessor!.set ? 'both' : p.accessor!.get ? 'getter' : 'setter';
      if (m !== undefined && m.accessor !== want) note(`own.${p.name}`, `V8 accessor ${want}, ours ${m.accessor ?? 'data'}`);
    }
  }
  // Map and Set entries: their keys and values, in order.
  if (v8.entries !== undefined && ours.entries !== undefined && r.subtype !== 'weakmap' && r.subtype !== 'weakset') {
    if (v8.entries.length !== ours.entries.length) note('entries', `V8 ${v8.entries.length} entries, ours ${ours.entries.length}`);
    v8.entries.forEach((e, i) => {
      const o = ours.entries![i];
      if (o === undefined) return;
      if (e.key !== undefined && isPrimitive(e.key) && nodePrimitive(o.key) !== remotePrimitive(e.key)) note(`entries.${i}.key`, `V8 ${String(remotePrimitive(e.key))}, ours ${String(nodePrimitive(o.key))}`);
      if (e.value !== undefined && o.value !== undefined && isPrimitive(e.value) && nodePrimitive(o.value) !== remotePrimitive(e.value)) note(`entries.${i}.value`, `V8 ${String(remotePrimitive(e.value))}, ours ${String(nodePrimitive(o.value))}`);
    });
  }
}

/** Our closure scopes against V8's [[Scopes]] (context-allocated variables; not the global scope). */
function compareScopes(key: string, v8: V8View, session: Session, fn: number, diffs: Map<string, string>): void {
  if (v8.scopes === undefined) return;
  const heap = session.heap();
  const ours = closureReport(session, fn).scopes.flatMap((s) => s.variables);
  for (const scope of v8.scopes) {
    if (scope.description === 'Global') continue;
    for (const v of scope.variables) {
      const o = ours.find((x) => x.name === v.name);
      if (o === undefined) {
        diffs.set(`${key}/scopes.${v.name}`, `V8 has ${v.name} in its ${scope.description} scope; ours does not`);
        continue;
      }
      if (v.value !== undefined && isPrimitive(v.value) && nodePrimitive(o.value) !== remotePrimitive(v.value)) {
        diffs.set(`${key}/scopes.${v.name}`, `V8 ${String(remotePrimitive(v.value))}, ours ${String(nodePrimitive(o.value))} (${o.value.type})`);
      }
    }
  }
  void heap;
}

function valuesOf(heap: V8Heap, root: number): Map<string, Tagged | undefined> {
  const r = heap.object(root)!;
  const valuesObj = heap.objectOf(ownNamedProperties(heap, r, 4).entries[1]?.value);
  assert.ok(valuesObj !== undefined, 'root.values');
  const out = new Map<string, Tagged | undefined>();
  for (const e of ownNamedProperties(heap, valuesObj, 4096).entries) out.set(keyText(heap, e.key), e.value);
  return out;
}

for (const major of testedMajors()) {
  test(`Node ${major}: nodescope agrees with V8's own view of every menagerie value`, { timeout: 300_000 }, async () => {
    const core = await menagerieCore(major);
    const session = Session.openCore(core.corePath, { binary: core.binary });
    try {
      const heap = session.heap();
      const values = valuesOf(heap, findMenagerieRoot(heap, core.manifest.marker));
      const recorded = core.manifest.values as unknown as Record<string, { v8?: V8View }>;
      const diffs = new Map<string, string>();
      let compared = 0;
      for (const [key, rec] of Object.entries(recorded)) {
        if (rec.v8 === undefined) continue;
        assert.ok(values.has(key), `value ${key} is in the core's root`);
        const t = values.get(key);
        const node = inspectTagged(heap, t, { depth: 1, maxElements: 4096, fullString: true, maxNodes: 200_000 });
        compareValue(key, rec.v8, node, diffs);
        if (rec.v8.remote.type === 'function' && t?.kind === 'heap') compareScopes(key, rec.v8, session, t.address, diffs);
        compared++;
      }
      assert.ok(compared >= 60, `${compared} values compared`);
      const unexpected = [...diffs].filter(([k]) => acceptedFor(k) === undefined).map(([k, v]) => `${k}: ${v}`);
      const stale = Object.keys(ACCEPTED).filter((k) => (k.startsWith('*/') ? ![...diffs.keys()].some((d) => d.endsWith(`/${k.slice(2)}`)) : !diffs.has(k)));
      assert.deepEqual(unexpected, [], 'differences from V8 that are neither fixed nor accepted');
      assert.deepEqual(stale, [], 'accepted differences that no longer occur (remove them from ACCEPTED)');
    } finally {
      session.close();
    }
  });
}
