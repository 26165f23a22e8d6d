// Unit tests of the flame graph: the merged tree, the SVG (well-formed XML, frames with their
// percentages, palette by kind, truncation, icicle layout) and the HTML wrapper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWellFormedXml } from './testing/xml-check.js';
import { ProfileBuilder, type Frame, type Profile } from '../../profile/profile-model.js';
import { buildFlameTree } from './flame-tree.js';
import { renderFlameGraphHtml } from './flamegraph-html.js';
import { fitLabel, renderFlameGraphSvg, xmlEscape } from './flamegraph-svg.js';
import { frameColor } from './palette.js';

const main: Frame = { name: 'main', kind: 'native' };
const hot: Frame = { name: 'hot<T>&"x"', file: '/app/x.js', line: 3, kind: 'js' };
const gc: Frame = { name: '(garbage collector)', kind: 'gc' };

function sample(): Profile {
  const b = new ProfileBuilder();
  b.addStack([main, hot], 7);
  b.addStack([main], 1);
  b.addStack([gc], 2);
  b.addStack([main, { name: 'x'.repeat(500), kind: 'native' }], 1);
  return b.build({ mode: 'file', durationMs: 0, startTime: 0, notes: [] });
}

test('buildFlameTree merges paths, sums totals and selves, sorts children', () => {
  const root = buildFlameTree(sample());
  assert.equal(root.total, 11);
  assert.deepEqual(root.children.map((c) => c.label), ['(garbage collector)', 'main']);
  const m = root.children[1]!;
  assert.equal(m.total, 9);
  assert.equal(m.self, 1);
});

test('SVG is well-formed XML with every frame, its samples and percentage', () => {
  const svg = renderFlameGraphSvg(sample(), { title: 'T & co' });
  const els = checkWellFormedXml(svg);
  assert.equal(els[0]!.name, 'svg');
  const frames = els.filter((e) => e.name === 'g' && e.attrs.class === 'f');
  assert.equal(frames.length, 5);
  const hotG = frames.find((e) => e.attrs['data-n'] === 'hot<T>&"x" /app/x.js:3')!;
  assert.ok(hotG, 'hot frame present with its escaped name');
  assert.match(hotG.text, /7 samples, 63\.64%/);
  assert.equal(hotG.attrs['data-k'], 'js');
  const script = els.find((e) => e.name === 'script')!;
  assert.match(script.text, /RegExp/);
  assert.match(script.text, /Matched: /);
  assert.ok(els.some((e) => e.name === 'text' && e.attrs.id === 'unzoom'));
});

test('icicle layout puts the root at the top', () => {
  const rootY = (svg: string): number => Number(checkWellFormedXml(svg).find((e) => e.name === 'rect' && e.attrs.fill === 'rgb(200,200,200)')!.attrs.y);
  const normal = rootY(renderFlameGraphSvg(sample()));
  const inverted = rootY(renderFlameGraphSvg(sample(), { inverted: true }));
  assert.ok(inverted < normal);
});

test('labels are truncated to fit, colours differ by kind', () => {
  assert.equal(fitLabel('abcdef', 1000), 'abcdef');
  assert.equal(fitLabel('abcdefghijklmnop', 60), 'abcde..');
  assert.equal(fitLabel('abc', 10), '');
  assert.notEqual(frameColor('js', 'f'), frameColor('native', 'f'));
  assert.notEqual(frameColor('gc', 'f'), frameColor('kernel', 'f'));
  assert.equal(frameColor('js', 'f'), frameColor('js', 'f'));
  assert.equal(xmlEscape('<&>\u0001'), '&lt;&amp;&gt;?');
});

test('HTML page embeds the SVG without the XML declaration', () => {
  const html = renderFlameGraphHtml(sample(), { title: 'CPU' });
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<\?xml/);
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
  checkWellFormedXml(svg);
});
