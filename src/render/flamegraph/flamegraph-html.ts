// An HTML page around the flame graph SVG, inlined so it is one self-contained file; the SVG's
// own script runs unchanged in the page.
import { totalSamples, type Profile } from '../../profile/profile-model.js';
import { renderFlameGraphSvg, xmlEscape, type FlameGraphOptions } from './flamegraph-svg.js';

/** Role: renders a Profile as a self-contained HTML page holding the interactive flame graph. */
export function renderFlameGraphHtml(p: Profile, opts: FlameGraphOptions = {}): string {
  const svg = renderFlameGraphSvg(p, opts).replace(/^<\?xml[^>]*\?>\n/, '');
  const title = opts.title ?? 'Flame Graph';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${xmlEscape(title)}</title>`,
    '<style>body{margin:0;background:#f8f8f2;font-family:Verdana,sans-serif}svg{display:block;max-width:100%;height:auto}p{margin:6px 10px;font-size:12px;color:#555}</style>',
    '</head><body>',
    svg,
    `<p>${totalSamples(p).toLocaleString('en-US')} samples. Click a frame to zoom, Reset Zoom to go back, Search (or Ctrl-F) for a regular expression, Esc to clear.</p>`,
    '</body></html>',
    '',
  ].join('\n');
}
