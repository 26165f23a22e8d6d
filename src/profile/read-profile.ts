// Reads a profile file of any format we write, telling them apart by content (gzip or
// protobuf → pprof, JSON → cpuprofile or speedscope, else folded stacks).
import { readFileSync } from 'node:fs';
import { FormatError } from '../util/errors.js';
import { readCollapsed } from './collapsed-reader.js';
import { fromCpuProfile } from './cpuprofile-reader.js';
import { readPprof } from './pprof-reader.js';
import type { Profile } from './profile-model.js';
import { fromSpeedscope } from './speedscope-reader.js';

const MAX_FILE = 1 << 30;

/** Role: parses profile bytes of any supported format; `name` is used in error messages. */
export function parseProfile(bytes: Buffer, name: string): Profile {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return readPprof(bytes, name);
  const head = bytes.subarray(0, 64).toString('utf8').trimStart();
  if (head.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new FormatError(name, 'invalid JSON');
    }
    if ((json as { $schema?: unknown })?.$schema !== undefined) return fromSpeedscope(json, name);
    return fromCpuProfile(json, {}, name);
  }
  if (name.endsWith('.pb') || name.endsWith('.pprof')) return readPprof(bytes, name);
  return readCollapsed(bytes.toString('utf8'), name);
}

/** Role: reads and parses a profile file. */
export function readProfileFile(path: string): Profile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FormatError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (bytes.length > MAX_FILE) throw new FormatError(path, 'larger than 1 GiB');
  return parseProfile(bytes, path);
}
