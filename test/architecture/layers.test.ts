// The layer order of STYLE.md, held by a test: a module never imports from a higher layer.
// Layers on one line are peers and may import each other (v8/heap and v8/objects, say); test
// support under a `testing/` folder and unit tests may import within src only, never test/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../harness/repo-paths.js';

/** Rank of each layer folder under src/ (lower ranks may not import higher ones). */
const RANK: Readonly<Record<string, number>> = {
  util: 0,
  io: 1,
  elf: 2,
  dwarf: 2,
  target: 3,
  native: 4,
  'v8/layout': 5,
  'v8/heap': 6,
  'v8/objects': 6,
  'v8/frames': 6,
  'v8/pages': 6,
  node: 7,
  analysis: 8,
  profile: 8,
  trace: 8,
  render: 9,
  commands: 10,
  cli: 11,
  repl: 11,
  'index.ts': 12,
};

function layerOf(srcRelative: string): string | undefined {
  const parts = srcRelative.split('/');
  if (parts[0] === 'v8') return `v8/${parts[1]}`;
  return parts[0];
}

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('no module imports from a higher layer, and nothing in src imports from test/', () => {
  const src = join(repoRoot(), 'src');
  const problems: string[] = [];
  for (const file of files(src)) {
    const from = relative(src, file);
    const fromLayer = layerOf(from)!;
    assert.ok(RANK[fromLayer] !== undefined, `${from}: folder ${fromLayer} has no layer rank; add it to STYLE.md's order and to this test`);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
      const target = resolve(dirname(file), m[1]!);
      const rel = relative(src, target);
      if (rel.startsWith('..')) {
        problems.push(`${from} imports ${m[1]} (outside src)`);
        continue;
      }
      const toLayer = layerOf(rel)!;
      if ((RANK[toLayer] ?? 99) > RANK[fromLayer]!) problems.push(`${from} (${fromLayer}) imports ${rel} (${toLayer})`);
    }
  }
  assert.deepEqual(problems, []);
});
