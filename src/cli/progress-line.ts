// A spinner line on stderr for slow steps (snapshots, scans): redrawn in place every 100 ms with
// the elapsed time (and a bar when the step knows how far it got), erased when done. Only drawn
// when stderr is a terminal. Synchronous scans block the timer, so updates also redraw.
import type { Progress } from '../commands/command.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Starts a progress line on stderr, or a no-op when stderr is not a TTY. */
export function startProgress(label: string, enabled: boolean): Progress {
  if (!enabled) return { update: () => {}, done: () => {} };
  const start = Date.now();
  let detail = '';
  let fraction: number | undefined;
  let i = 0;
  let drawn = 0;
  const draw = (): void => {
    drawn = Date.now();
    const secs = ((drawn - start) / 1000).toFixed(1);
    const bar = fraction === undefined ? '' : ` ${progressBar(fraction)}`;
    process.stderr.write(`\r\u001b[2K${FRAMES[i++ % FRAMES.length]} ${label}${bar}${detail ? ` ${detail}` : ''} (${secs} s)`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update: (d, f) => {
      detail = d;
      fraction = f;
      if (Date.now() - drawn >= 100) draw();
    },
    done: () => {
      clearInterval(timer);
      process.stderr.write('\r\u001b[2K');
    },
  };
}

/** `[########            ]  42%` for a fraction done. */
export function progressBar(fraction: number, width = 20): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${' '.repeat(width - full)}] ${String(Math.round(f * 100)).padStart(3)}%`;
}
