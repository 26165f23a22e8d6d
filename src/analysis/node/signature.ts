// The crash signature that `triage` groups cores by, as ABRT, Socorro and Sentry build theirs:
// crash kind | error constructor: normalised message | the top three in-app JS frames, each by
// function and file without line:column. Versions are attributes, never part of it, so one
// bug on two Node majors is one group. Pure functions of plain data (unit-tested).
import { createHash } from 'node:crypto';
import type { StackLine } from './error-info.js';

/** Role: a core's signature and the parts it was built from. */
export interface CrashSignature {
  /** `kind | Constructor: message | frame | frame | frame`. */
  readonly signature: string;
  /** SHA-1 of the signature, first 12 hex digits (a stable id for tickets). */
  readonly id: string;
  readonly kind: string;
  readonly error?: { readonly constructor: string; readonly message: string };
  /** The frames of the signature: `function (file)`. */
  readonly frames: readonly string[];
}

/** Frames in the signature (ABRT's duphash uses three). */
export const SIGNATURE_FRAMES = 3;
/** Longest normalised message kept (Socorro cuts signatures at 255 characters). */
const MAX_MESSAGE = 160;

/**
 * Replaces the variable parts of an error message with placeholders, in this order: quoted
 * strings (`'…'`, `"…"`, `` `…` ``) → `<str>`; URLs and absolute paths → `<path>`; UUIDs →
 * `<uuid>`; hex numbers (0x…, or 8+ hex digits with a digit) → `<hex>`; decimal numbers → `<n>`.
 */
export function normaliseMessage(message: string): string {
  return message
    .replace(/'[^'\n]*'|"[^"\n]*"|`[^`\n]*`/g, '<str>')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)]+|(?<![\w.])\/[^\s:)'"]+/gi, '<path>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<hex>')
    .replace(/(?<![\w<])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w>])/gi, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_MESSAGE);
}

/** Whether a frame is the application's: not Node's own (`node:`), not a dependency (node_modules), not native. */
export function isInApp(f: StackLine): boolean {
  return f.file !== '' && !f.file.startsWith('node:') && !f.file.includes('/node_modules/') && f.file !== '<anonymous>' && f.file !== 'native';
}

/** `function (dir/file.js)`: the function as V8 names it without `[as …]` or `async `, the file's last two path components. */
export function frameKey(f: StackLine): string {
  const fn = f.function.replace(/ \[as [^\]]*\]$/, '').replace(/^async /, '') || '(anonymous)';
  const file = f.file.replace(/^file:\/\//, '').split('/').filter((x) => x !== '').slice(-2).join('/');
  return `${fn} (${file})`;
}

/** Builds the signature of one crash. */
export function crashSignature(kind: string, error: { constructor: string; message: string } | undefined, frames: readonly StackLine[]): CrashSignature {
  const inApp = frames.filter(isInApp);
  const chosen = (inApp.length > 0 ? inApp : frames).slice(0, SIGNATURE_FRAMES).map(frameKey);
  const err = error !== undefined ? { constructor: error.constructor, message: normaliseMessage(error.message) } : undefined;
  const parts = [kind, err !== undefined ? `${err.constructor}${err.message !== '' ? `: ${err.message}` : ''}` : '-', ...chosen];
  const signature = parts.join(' | ');
  return { signature, id: createHash('sha1').update(signature).digest('hex').slice(0, 12), kind, ...(err !== undefined ? { error: err } : {}), frames: chosen };
}
