// The registry of output sinks: the profile layer's data sinks plus our SVG and HTML flame
// graphs. Commands ask here for the sink of a format.
import { CollapsedSink } from '../../profile/collapsed-sink.js';
import { CpuprofileSink } from '../../profile/cpuprofile-sink.js';
import { PprofSink } from '../../profile/pprof-sink.js';
import type { Profile } from '../../profile/profile-model.js';
import type { ProfileFormat, Sink } from '../../profile/sink.js';
import { SpeedscopeSink } from '../../profile/speedscope-sink.js';
import { renderFlameGraphHtml } from './flamegraph-html.js';
import { renderFlameGraphSvg, type FlameGraphOptions } from './flamegraph-svg.js';

/** Role: Sink for the interactive flame graph SVG. */
export class SvgSink implements Sink {
  readonly format = 'svg' as const;
  readonly extension = '.svg';
  constructor(private readonly opts: FlameGraphOptions = {}) {}
  encode(p: Profile): Buffer {
    return Buffer.from(renderFlameGraphSvg(p, this.opts), 'utf8');
  }
}

/** Role: Sink for the HTML page wrapping the flame graph. */
export class HtmlSink implements Sink {
  readonly format = 'html' as const;
  readonly extension = '.html';
  constructor(private readonly opts: FlameGraphOptions = {}) {}
  encode(p: Profile): Buffer {
    return Buffer.from(renderFlameGraphHtml(p, this.opts), 'utf8');
  }
}

/** Role: the sink of a format; flame graph options apply to svg and html only. */
export function sinkFor(format: ProfileFormat, opts: FlameGraphOptions = {}): Sink {
  switch (format) {
    case 'svg': return new SvgSink(opts);
    case 'html': return new HtmlSink(opts);
    case 'collapsed': return new CollapsedSink();
    case 'speedscope': return new SpeedscopeSink();
    case 'pprof': return new PprofSink();
    case 'cpuprofile': return new CpuprofileSink();
  }
}
