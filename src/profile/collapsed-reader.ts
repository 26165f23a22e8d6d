// Reads folded stacks (`a;b;c 42`, ours or any stackcollapse script's) into a Profile. Accepts
// flamegraph.pl's `_[k]`/`_[j]`/`_[i]`/`_[w]` suffixes and our backslash escapes.
import { FormatError } from '../util/errors.js';
import { classifyFrameName } from './classify-frame.js';
import { ProfileBuilder, type Frame, type FrameKind, type Profile } from './profile-model.js';

const MAX_LINES = 10_000_000;
const MAX_DEPTH = 4096;

/** Role: parses one folded frame's text back into a Frame. */
export function parseFoldedFrame(text: string): Frame {
  let t = text;
  let kind: FrameKind | undefined;
  const ann = /_\[([kjiw])\]$/.exec(t);
  if (ann) {
    t = t.slice(0, -4);
    if (ann[1] === 'k') kind = 'kernel';
    else if (ann[1] === 'j') kind = 'js';
  }
  const m = /^(.*) (\S+?):(\d+)(?::(\d+))?$/.exec(t);
  if (m) {
    const name = m[1] === '(anonymous)' ? '' : m[1]!;
    const f: Frame = { name, file: m[2]!, line: Number(m[3]), kind: kind ?? classifyFrameName(m[1]!, m[2]) };
    return m[4] !== undefined ? { ...f, column: Number(m[4]) } : f;
  }
  return { name: t, kind: kind ?? classifyFrameName(t) };
}

/** Role: splits a folded stack on unescaped `;` and removes the escapes. */
export function splitFolded(stack: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < stack.length; i++) {
    const c = stack[i]!;
    if (c === '\\' && i + 1 < stack.length) { cur += stack[++i]; continue; }
    if (c === ';') { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** Role: parses folded-stack text; `name` is used in error messages. */
export function readCollapsed(text: string, name = 'folded stacks'): Profile {
  const b = new ProfileBuilder();
  const lines = text.split('\n');
  if (lines.length > MAX_LINES) throw new FormatError(name, `more than ${MAX_LINES} lines`);
  let n = 0;
  lines.forEach((raw, idx) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(.*\S)\s+(\d+)$/.exec(line);
    if (!m) throw new FormatError(name, `line ${idx + 1}: expected "frame;frame;… count"`);
    const parts = splitFolded(m[1]!);
    if (parts.length > MAX_DEPTH) throw new FormatError(name, `line ${idx + 1}: stack deeper than ${MAX_DEPTH}`);
    b.addStack(parts.map(parseFoldedFrame), Number(m[2]));
    n++;
  });
  if (n === 0) throw new FormatError(name, 'no stacks found');
  return b.build({ mode: 'file', durationMs: 0, startTime: 0, notes: [] });
}
