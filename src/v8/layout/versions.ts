// V8 and Node versions of a node executable: V8's `v8::internal::Version` statics, and Node's
// release URL in .rodata (`…/download/release/v<major>.<minor>.<patch>/`, node_metadata.cc's
// process.release source URL).
import { isNodescopeError } from '../../util/errors.js';
import type { LayoutBinary } from './layout-binary.js';

const V8_VERSION_STATICS = {
  major: '_ZN2v88internal7Version6major_E',
  minor: '_ZN2v88internal7Version6minor_E',
  build: '_ZN2v88internal7Version6build_E',
  patch: '_ZN2v88internal7Version6patch_E',
} as const;

/** Reads V8's version (`12.4.254.21`) from the v8::internal::Version statics, or undefined. */
export function readV8Version(binary: LayoutBinary): string | undefined {
  const want = new Map<string, string>(Object.entries(V8_VERSION_STATICS).map(([k, v]) => [v, k]));
  const parts: Record<string, number> = {};
  try {
    for (const s of binary.symbols()) {
      const key = want.get(s.name);
      if (key === undefined || s.size !== 4) continue;
      parts[key] = binary.readVaddr(s.value, 4).readInt32LE(0);
    }
  } catch (e) {
    if (isNodescopeError(e)) return undefined;
    throw e;
  }
  if (parts.major === undefined || parts.minor === undefined) return undefined;
  return `${parts.major}.${parts.minor}.${parts.build ?? 0}.${parts.patch ?? 0}`;
}

const CHUNK = 1 << 20;
const NODE_VERSION_RE = /download\/release\/v(\d{1,3})\.(\d{1,3})\.(\d{1,3})\//;

/**
 * Finds Node's version string (`v22.23.3`) in .rodata; scans the section once in 1 MiB chunks,
 * so call it only where the version is printed (`nodescope layout`).
 */
export function findNodeVersion(binary: LayoutBinary): string | undefined {
  const rodata = binary.sections().find((s) => s.name === '.rodata');
  if (rodata === undefined) return undefined;
  try {
    for (let off = 0; off < rodata.size; off += CHUNK - 32) {
      const len = Math.min(CHUNK, rodata.size - off);
      const text = binary.readVaddr(rodata.addr + off, len).toString('latin1');
      const m = NODE_VERSION_RE.exec(text);
      if (m) return `v${m[1]}.${m[2]}.${m[3]}`;
    }
  } catch (e) {
    if (isNodescopeError(e)) return undefined;
    throw e;
  }
  return undefined;
}
