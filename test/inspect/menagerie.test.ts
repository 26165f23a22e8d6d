// Scenario test of `print`: the menagerie core of each supported Node major, every value checked
// against the util.inspect text the scenario wrote into its manifest (with the few documented
// differences of our rendering normalised), plus JSON model checks and whatIs on bad addresses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from '../../src/analysis/session.js';
import { inspectAddress, inspectTagged } from '../../src/analysis/inspect/inspect-value.js';
import { resolvePropertyPath } from '../../src/analysis/inspect/property-path.js';
import { runCli } from '../cli/run-cli.js';
import { typedArrayInfo } from '../../src/v8/objects/special-objects.js';
import { whatIs } from '../../src/analysis/inspect/what-is.js';
import type { ValueNode } from '../../src/analysis/inspect/value-node.js';
import { renderValue } from '../../src/render/value/value-text.js';
import { valueToJson } from '../../src/render/value/value-json.js';
import { renderWhatIs } from '../../src/render/value/what-is-text.js';
import { testedMajors } from '../harness/node-binaries.js';
import { menagerieCore } from './menagerie-core.js';
import { findMenagerieRoot } from './menagerie-root.js';

/** util.inspect texts that differ by Node version only in spelling, brought to one form. */
function normalise(text: string): string {
  return text
    .replace(/(^|[{,] |\] )Symbol\(([^)]*)\): /g, '$1[Symbol($2)]: ')
    .replace(/\[byteLength\]/g, 'byteLength')
    .replace(/\s+/g, ' ');
}

/** Values whose util.inspect text we deliberately do not reproduce, with what we print instead. */
const OURS: Readonly<Record<string, string>> = {
  // util.inspect cannot see weak entries; a core can.
  weakMap: "WeakMap { { wk: 1 } => 'weak-value' }",
  weakSet: 'WeakSet { { wk: 1 } }',
  // util.inspect shows proxies as their target unless showProxy (Node 26 changed the default).
  proxy: 'Proxy({ target: true })',
};

function child(node: ValueNode, name: string): ValueNode {
  const p = node.properties?.find((x) => x.name === name);
  assert.ok(p, `property ${name} missing`);
  return p.value;
}

for (const major of testedMajors()) {
  test(`menagerie values on Node ${major}`, { timeout: 600_000 }, async () => {
    const core = await menagerieCore(major);
    const session = Session.openCore(core.corePath, { binary: core.binary });
    try {
      const heap = session.heap();
      const root = findMenagerieRoot(heap, core.manifest.marker);
      const values = child(inspectAddress(heap, root, { depth: 1, maxElements: 200 }), 'values');
      const mismatches: string[] = [];
      const names = Object.keys(core.manifest.values);
      assert.ok(names.length >= 60, 'manifest lists the menagerie');
      for (const name of names) {
        const shallow = child(values, name);
        const node = shallow.address !== undefined && shallow.type !== 'number' ? inspectAddress(heap, shallow.address, { depth: 2, maxStringLength: 10000 }) : shallow;
        const got = normalise(renderValue(node, { breakLength: Infinity, locations: false }));
        const want = OURS[name] ?? normalise(core.manifest.values[name]!.inspect);
        if (got !== want) mismatches.push(`${name}: got ${got.slice(0, 200)}\n     want ${want.slice(0, 200)}`);
      }
      assert.deepEqual(mismatches, [], `Node ${core.nodeVersion}:\n${mismatches.join('\n')}`);

      // The JSON model: immediates, nesting and limits.
      const plain = valueToJson(inspectAddress(heap, child(values, 'plain').address!, {})) as { type: string; properties: { name: string; value: { type: string; value?: unknown } }[] };
      assert.equal(plain.type, 'Object');
      assert.deepEqual(plain.properties.map((p) => [p.name, p.value.type]), [['a', 'number'], ['b', 'string'], ['c', 'Array']]);
      assert.deepEqual(plain.properties[0]!.value, { type: 'number', value: 1 });
      const nested = inspectAddress(heap, child(values, 'nested').address!, { depth: 0 });
      assert.equal(child(nested, 'l1').truncated, true);
      const beyond = JSON.stringify(valueToJson(nested));
      assert.match(beyond, /"truncated":true/);
      assert.equal(child(values, 'negZero').value, '-0');
      assert.equal(child(values, 'beyondSafe').value, 2 ** 53 + 2);
      const cut = inspectAddress(heap, child(values, 'longString').address!, { maxStringLength: 10 });
      assert.equal(renderValue(cut), "'LLLLLLLLLL'... 394 more characters");
      assert.equal(inspectAddress(heap, child(values, 'longString').address!, { fullString: true, maxStringLength: 10 }).value, 'L'.repeat(400) + '-end');
      const fn = inspectAddress(heap, child(values, 'fn').address!, {});
      assert.equal(fn.location?.script?.endsWith('menagerie.js'), true);
      assert.equal(fn.location?.line, 16);

      // Property paths read as JS reads them: inherited `constructor`, `__proto__`, `prototype`, a function's `name`.
      const temperature = child(values, 'temperature').address!;
      const named = (path: string): ValueNode => {
        const t = resolvePropertyPath(heap, temperature, path);
        return t === 'null' ? { type: 'null', value: null } : inspectTagged(heap, t, { depth: 0 });
      };
      assert.deepEqual([named('constructor.name').type, named('constructor.name').value], ['string', 'Celsius']);
      assert.equal(named('constructor').address, child(values, 'celsiusClass').address);
      assert.equal(named('__proto__').address, named('constructor.prototype').address);
      assert.equal(named('__proto__.__proto__.constructor.name').value, 'Temperature');
      assert.equal(named('__proto__.__proto__.__proto__.__proto__').type, 'null');
      assert.throws(() => resolvePropertyPath(heap, temperature, 'noSuchThing'), /has no property 'noSuchThing' \(own or inherited\)/);
      assert.throws(() => resolvePropertyPath(heap, temperature, 'fahrenheit'), /is an accessor property: its value comes from running a getter/);
      const arr = child(values, 'packedSmi').address!;
      const len = resolvePropertyPath(heap, arr, 'length');
      assert.deepEqual(len, { kind: 'smi', value: core.manifest.values.packedSmi!.length ?? JSON.parse(core.manifest.values.packedSmi!.json!).length });

      // --max-items: the default cut of 100 is counted; 3 shows three; 0 shows all.
      const many = `0x${child(values, 'manyProps').address!.toString(16)}`;
      const three = runCli(['print', core.corePath, many, '--binary', core.binary, '--max-items', '3']);
      assert.equal(three.code, 0, three.stderr);
      assert.match(three.stdout, /^\{ p0: 0, p1: 1, p2: 2, \.\.\. 17 more properties \}\n$/);
      const all = runCli(['print', core.corePath, many, '--binary', core.binary, '--max-items', '0', '--json']);
      assert.equal((JSON.parse(all.stdout) as { properties: unknown[] }).properties.length, 20);
      const path = runCli(['print', core.corePath, `0x${temperature.toString(16)}`, 'constructor.name', '--binary', core.binary]);
      assert.equal(path.stdout, "'Celsius'\n", path.stderr);

      // A typed array's buffer field (a layout fallback that moved in V8 13) names its JSArrayBuffer.
      for (const name of ['uint8', 'float64']) {
        const view = heap.object(child(values, name).address!)!;
        const buffer = typedArrayInfo(heap, view)?.buffer;
        assert.equal(buffer === undefined ? undefined : heap.layout.types.name(buffer.type), 'JS_ARRAY_BUFFER_TYPE', `${name}'s buffer`);
      }

      // Bad addresses.
      const inside = whatIs(session, root + 24);
      assert.equal(inside.kind, 'inside');
      assert.match(renderWhatIs(inside), new RegExp(`lies 24 bytes inside a JSObject at 0x${root.toString(16)}`));
      assert.equal(whatIs(session, 0x10).kind, 'unmapped');
      assert.equal(whatIs(session, root + 1).kind, 'object');
    } finally {
      session.close();
    }
  });
}
