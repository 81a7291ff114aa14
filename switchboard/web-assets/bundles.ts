// Where the pages' files are: the package root found from this module, and the page bundles that
// scripts/build-web.mjs writes under dist/web. The board (board/assets.ts) and the statistics page
// (recorder/stats-http.ts) both serve from here, so neither service imports the other for it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A folder of the package, found from the package root so the same lookup works from source (vitest)
 * and from dist/ (tsc copies no assets). */
export function packageDir(...parts: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, ...parts);
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('web assets: package root (package.json) not found above this module');
    dir = parent;
  }
}

/** A page's bundle, built by `npm run build` (and before the tests) from the page's modules. */
export function readBundle(name: string): Buffer {
  const path = packageDir('dist', 'web', name);
  if (!existsSync(path)) throw new Error(`web assets: ${path} is missing: run npm run build first`);
  return readFileSync(path);
}
