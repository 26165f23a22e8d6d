// Golden files for scenario tests: test/golden/<major>/<scenario>/<command>, compared after
// normalising what changes between runs (addresses, PIDs and TIDs, the repository path).
// UPDATE_GOLDEN=1 rewrites them instead of comparing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './repo-paths.js';

/** Role: what varies between runs of the same scenario, to be replaced in golden text. */
export interface GoldenContext {
  /** PID and thread ids of the scenario process (manifest pid and threads). */
  readonly ids?: readonly number[];
  /** Extra literal strings to replace, e.g. {'/tmp/nodescope-x1y2': '<tmp>'}. */
  readonly literals?: Readonly<Record<string, string>>;
}

/** Role: replaces addresses (0x…), the given ids, the repository path and literals with placeholders. */
export function normaliseForGolden(text: string, ctx: GoldenContext = {}): string {
  let out = text.split(repoRoot()).join('<repo>');
  for (const [from, to] of Object.entries(ctx.literals ?? {})) out = out.split(from).join(to);
  const ids = [...new Set(ctx.ids ?? [])].sort((a, b) => String(b).length - String(a).length);
  for (const id of ids) out = out.replace(new RegExp(`\\b${id}\\b`, 'g'), '<id>');
  return out.replace(/\b0x[0-9a-f]{5,}\b/gi, '0x<addr>');
}

/** Role: path of one golden file. */
export function goldenPath(major: number, scenario: string, command: string): string {
  return join(repoRoot(), 'test', 'golden', String(major), scenario, command);
}

/**
 * Role: asserts that `actual` (normalised) equals the golden file, or writes it when
 * UPDATE_GOLDEN=1. A missing golden file fails: it is never created silently.
 */
export function assertGolden(major: number, scenario: string, command: string, actual: string, ctx: GoldenContext = {}): void {
  const path = goldenPath(major, scenario, command);
  const text = normaliseForGolden(actual, ctx);
  const update = process.env.UPDATE_GOLDEN === '1';
  if (update) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return;
  }
  assert.ok(existsSync(path), `golden ${path} is missing; run with UPDATE_GOLDEN=1 to create it, then review it`);
  assert.equal(text, readFileSync(path, 'utf8'), `golden ${path} (UPDATE_GOLDEN=1 rewrites it)`);
}
