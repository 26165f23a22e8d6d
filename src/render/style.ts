// ANSI styling for terminal output, switched off for pipes, NO_COLOR and --no-color.
// A Style is passed down explicitly; nothing here reads the environment.

/** Role: colour functions for one output stream; identity functions when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string): string => `\u001b[${open}m${s}\u001b[${close}m`;
const id = (s: string): string => s;

/** Makes a Style that colours when `enabled`. */
export function makeStyle(enabled: boolean): Style {
  if (!enabled) return { enabled, bold: id, dim: id, red: id, green: id, yellow: id, blue: id, magenta: id, cyan: id };
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    magenta: wrap(35, 39),
    cyan: wrap(36, 39),
  };
}

/** Visible length of a string that may hold ANSI escapes. */
export function visibleLength(s: string): number {
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Pads `s` on the right to `width` visible columns. */
export function padEnd(s: string, width: number): string {
  const n = width - visibleLength(s);
  return n > 0 ? s + ' '.repeat(n) : s;
}
