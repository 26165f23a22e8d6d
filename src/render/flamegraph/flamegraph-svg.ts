// A self-contained interactive flame graph SVG, written by us after the features users know
// from Brendan Gregg's flamegraph.pl: hover details, click to zoom, reset, regex search with the
// matched percentage, icicle (inverted) layout, a palette by frame kind, truncated names.
import { totalSamples, type Profile } from '../../profile/profile-model.js';
import { buildFlameTree, type FlameNode } from './flame-tree.js';
import { frameColor, PALETTE_LEGEND } from './palette.js';

/** Role: options of the flame graph drawing. */
export interface FlameGraphOptions {
  readonly title?: string;
  readonly subtitle?: string;
  /** Icicle layout: root at the top, stacks growing down. */
  readonly inverted?: boolean;
  /** Image width in px (default 1200). */
  readonly width?: number;
  /** Frames narrower than this many px are omitted (default 0.1). */
  readonly minWidth?: number;
}

const FRAME_H = 16;
const FONT = 12;
const PAD = 10;
const TOP = 66;
const BOTTOM = 40;
const CHAR_W = 0.59 * FONT;
const MAX_DEPTH = 2048;

/** Role: escapes text for XML character data and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters XML 1.0 forbids.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '?');
}

/** Role: the text that fits a box `widthPx` wide: whole, shortened with `..`, or nothing. */
export function fitLabel(label: string, widthPx: number): string {
  const fit = Math.floor((widthPx - 6) / CHAR_W);
  if (fit < 3) return '';
  return label.length <= fit ? label : label.slice(0, Math.max(1, fit - 2)) + '..';
}

interface Placed { node: FlameNode; depth: number; offset: number }

function place(root: FlameNode, minSamples: number): { items: Placed[]; maxDepth: number } {
  const items: Placed[] = [];
  let maxDepth = 0;
  const stack: Placed[] = [{ node: root, depth: 0, offset: 0 }];
  while (stack.length > 0) {
    const p = stack.pop()!;
    items.push(p);
    if (p.depth > maxDepth) maxDepth = p.depth;
    if (p.depth >= MAX_DEPTH) continue;
    let off = p.offset;
    const next: Placed[] = [];
    for (const c of p.node.children) {
      if (c.total >= minSamples) next.push({ node: c, depth: p.depth + 1, offset: off });
      off += c.total;
    }
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
  }
  return { items, maxDepth };
}

/** Role: renders a Profile as an interactive flame graph SVG document. */
export function renderFlameGraphSvg(p: Profile, opts: FlameGraphOptions = {}): string {
  const width = opts.width ?? 1200;
  const inverted = opts.inverted ?? false;
  const root = buildFlameTree(p);
  const total = Math.max(1, totalSamples(p));
  const usable = width - 2 * PAD;
  const minSamples = ((opts.minWidth ?? 0.1) / usable) * total;
  const { items, maxDepth } = place(root, minSamples);
  const height = TOP + (maxDepth + 1) * FRAME_H + BOTTOM;
  const yOf = (d: number): number => (inverted ? TOP + d * FRAME_H : height - BOTTOM - (d + 1) * FRAME_H);
  const title = opts.title ?? 'Flame Graph';
  const out: string[] = [];
  out.push('<?xml version="1.0" standalone="no"?>');
  out.push(`<svg version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg" data-total="${total}" data-inverted="${inverted ? 1 : 0}" data-frame-height="${FRAME_H}">`);
  out.push('<style type="text/css">text{font-family:Verdana,sans-serif;font-size:' + FONT + 'px;fill:#000}#title{font-size:17px;text-anchor:middle}#subtitle{text-anchor:middle;fill:#555}.btn{cursor:pointer;fill:#333}.btn:hover{text-decoration:underline}g.f{cursor:pointer}g.f:hover rect{stroke:#000;stroke-width:0.5}g.f text{pointer-events:none}.hide{display:none}.parent rect{opacity:0.5}</style>');
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#f8f8f2"/>`);
  out.push(`<text id="title" x="${width / 2}" y="24">${xmlEscape(title)}</text>`);
  if (opts.subtitle) out.push(`<text id="subtitle" x="${width / 2}" y="42">${xmlEscape(opts.subtitle)}</text>`);
  out.push(`<text id="unzoom" class="btn hide" x="${PAD}" y="24">Reset Zoom</text>`);
  out.push(`<text id="search" class="btn" x="${width - PAD - 110}" y="24">Search</text>`);
  out.push(`<text id="clear" class="btn hide" x="${width - PAD - 60}" y="24">Reset</text>`);
  out.push(`<text id="matched" x="${width - PAD - 110}" y="${height - 12}"></text>`);
  out.push(`<text id="details" x="${PAD}" y="${height - 12}"> </text>`);
  let lx = PAD;
  for (const e of PALETTE_LEGEND) {
    out.push(`<rect x="${lx}" y="48" width="10" height="10" fill="${e.color}"/><text x="${lx + 14}" y="57" style="font-size:10px">${xmlEscape(e.label)}</text>`);
    lx += 24 + e.label.length * 6;
  }
  out.push('<g id="frames">');
  for (const it of items) {
    const n = it.node;
    const x = PAD + (it.offset / total) * usable;
    const w = (n.total / total) * usable;
    const pct = ((n.total / total) * 100).toFixed(2);
    const label = n.label;
    const info = `${label} (${n.total.toLocaleString('en-US')} sample${n.total === 1 ? '' : 's'}, ${pct}%)`;
    const y = yOf(it.depth);
    const fill = it.depth === 0 ? 'rgb(200,200,200)' : frameColor(n.kind, label);
    out.push(
      `<g class="f" data-n="${xmlEscape(label)}" data-o="${it.offset}" data-v="${n.total}" data-d="${it.depth}" data-k="${n.kind}">` +
        `<title>${xmlEscape(info)}</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${FRAME_H - 1}" rx="2" fill="${fill}"/>` +
        `<text x="${(x + 3).toFixed(2)}" y="${y + FRAME_H - 4}">${xmlEscape(fitLabel(label, w))}</text></g>`,
    );
  }
  out.push('</g>');
  out.push(`<script type="text/ecmascript"><![CDATA[${FLAME_SCRIPT.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]></script>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

// The interactive part, run by the browser. Frames carry their sample offset (data-o), width
// (data-v) and depth (data-d); zoom recomputes x/width from those, so nothing is re-laid out.
const FLAME_SCRIPT = `
(function () {
  var svg = document.documentElement.tagName === 'svg' ? document.documentElement : document.querySelector('svg');
  var total = +svg.getAttribute('data-total'), W = +svg.getAttribute('width'), PAD = ${PAD}, CW = ${CHAR_W};
  var usable = W - 2 * PAD;
  var frames = Array.prototype.slice.call(svg.querySelectorAll('g.f'));
  var details = svg.getElementById ? svg.getElementById('details') : document.getElementById('details');
  function el(id) { return svg.querySelector('#' + id); }
  var unzoomBtn = el('unzoom'), searchBtn = el('search'), clearBtn = el('clear'), matched = el('matched');
  var zoomO = 0, zoomV = total, zoomD = 0, searchRe = null;
  function fit(label, w) {
    var n = Math.floor((w - 6) / CW);
    if (n < 3) return '';
    return label.length <= n ? label : label.slice(0, Math.max(1, n - 2)) + '..';
  }
  function draw() {
    frames.forEach(function (g) {
      var o = +g.getAttribute('data-o'), v = +g.getAttribute('data-v'), d = +g.getAttribute('data-d');
      var rect = g.querySelector('rect'), text = g.querySelector('text');
      var inside = o >= zoomO && o + v <= zoomO + zoomV + 1e-9;
      var ancestor = d < zoomD && o <= zoomO && o + v >= zoomO + zoomV - 1e-9;
      g.classList.toggle('parent', ancestor);
      if (!inside && !ancestor) { g.classList.add('hide'); return; }
      g.classList.remove('hide');
      var x = ancestor ? PAD : PAD + (o - zoomO) / zoomV * usable;
      var w = ancestor ? usable : v / zoomV * usable;
      rect.setAttribute('x', x.toFixed(2)); rect.setAttribute('width', w.toFixed(2));
      text.setAttribute('x', (x + 3).toFixed(2));
      text.textContent = fit(g.getAttribute('data-n'), w);
    });
  }
  function zoom(g) {
    zoomO = +g.getAttribute('data-o'); zoomV = +g.getAttribute('data-v'); zoomD = +g.getAttribute('data-d');
    unzoomBtn.classList.toggle('hide', zoomD === 0);
    draw();
  }
  function unzoom() { zoomO = 0; zoomV = total; zoomD = 0; unzoomBtn.classList.add('hide'); draw(); }
  function describe(g) {
    var v = +g.getAttribute('data-v');
    return g.getAttribute('data-n') + ' (' + v.toLocaleString('en-US') + ' samples, ' + (100 * v / total).toFixed(2) + '%)';
  }
  frames.forEach(function (g) {
    g.addEventListener('mouseover', function () { details.textContent = 'Function: ' + describe(g); });
    g.addEventListener('mouseout', function () { details.textContent = ' '; });
    g.addEventListener('click', function () { zoom(g); });
  });
  function search(re) {
    searchRe = re;
    var spans = [];
    frames.forEach(function (g) {
      var rect = g.querySelector('rect');
      if (!rect.hasAttribute('data-fill')) rect.setAttribute('data-fill', rect.getAttribute('fill'));
      var hit = re !== null && +g.getAttribute('data-d') > 0 && re.test(g.getAttribute('data-n'));
      rect.setAttribute('fill', hit ? 'rgb(230,0,230)' : rect.getAttribute('data-fill'));
      if (hit) spans.push([+g.getAttribute('data-o'), +g.getAttribute('data-v')]);
    });
    if (re === null) { matched.textContent = ''; clearBtn.classList.add('hide'); return; }
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var sum = 0, end = -1;
    spans.forEach(function (s) {
      var a = Math.max(s[0], end), b = s[0] + s[1];
      if (b > a) { sum += b - a; end = b; }
    });
    matched.textContent = 'Matched: ' + (100 * sum / total).toFixed(2) + '%';
    clearBtn.classList.remove('hide');
  }
  function askSearch() {
    var term = prompt('Search frames (regular expression)', searchRe ? searchRe.source : '');
    if (term === null || term === '') return;
    try { search(new RegExp(term)); } catch (e) { alert('Bad regular expression: ' + e.message); }
  }
  unzoomBtn.addEventListener('click', unzoom);
  searchBtn.addEventListener('click', askSearch);
  clearBtn.addEventListener('click', function () { search(null); });
  window.addEventListener('keydown', function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === 'f') { e.preventDefault(); askSearch(); }
    else if (e.key === 'Escape') { search(null); unzoom(); }
  });
})();
`;
