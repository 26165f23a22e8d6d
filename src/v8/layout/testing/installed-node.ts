// Test support: the newest installed official Node binary of each major under .cache/node/
// (where `npm test`'s setup puts them), for unit tests that read a real node binary. Whichever
// patch npm served is tested; a supported major that is missing is a failure, not a skip.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Role: the majors every test must cover, and the optional ones (tested when installed). */
export const SUPPORTED_MAJORS = [20, 22, 24, 26] as const;
export const OPTIONAL_MAJORS = [18] as const;

/** Role: the newest installed version of `major` and its binary, or undefined. */
export function installedNode(major: number): { version: string; path: string } | undefined {
  // dist/src/v8/layout/testing/ → repository root
  const root = fileURLToPath(new URL('../../../../../.cache/node/', import.meta.url));
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => new RegExp(`^${major}\\.\\d+\\.\\d+$`).test(v) && existsSync(`${root}${v}/bin/node`))
    .sort((a, b) => {
      const [, a1 = 0, a2 = 0] = a.split('.').map(Number);
      const [, b1 = 0, b2 = 0] = b.split('.').map(Number);
      return b1 - a1 || b2 - a2;
    });
  const version = versions[0];
  return version === undefined ? undefined : { version, path: `${root}${version}/bin/node` };
}
