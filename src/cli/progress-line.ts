// A spinner line on stderr for slow steps (snapshots, scans): redrawn in place every 100 ms with
// the elapsed time, erased when done. Only drawn when stderr is a terminal.
import type { Progress } from '../commands/command.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Starts a progress line on stderr, or a no-op when stderr is not a TTY. */
export function startProgress(label: string, enabled: boolean): Progress {
  if (!enabled) return { update: () => {}, done: () => {} };
  const start = Date.now();
  let detail = '';
  let i = 0;
  const draw = (): void => {
    const secs = ((Date.now() - start) / 1000).toFixed(1);
    process.stderr.write(`\r\u001b[2K${FRAMES[i++ % FRAMES.length]} ${label}${detail ? ` ${detail}` : ''} (${secs} s)`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update: (d) => {
      detail = d;
    },
    done: () => {
      clearInterval(timer);
      process.stderr.write('\r\u001b[2K');
    },
  };
}
