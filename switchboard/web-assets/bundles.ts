// Where the pages' bundles are: under dist/web in the package (config/package.ts finds its root), where
// scripts/build-web.mjs writes them. The board (board/assets.ts) and the statistics page
// (recorder/stats-http.ts) both serve from here, so neither service imports the other for it.
import { existsSync, readFileSync } from 'node:fs';
import { packageDir } from '../../config/package.js';

/** A page's bundle, built by `npm run build` (and before the tests) from the page's modules. */
export function readBundle(name: string): Buffer {
  const path = packageDir('dist', 'web', name);
  if (!existsSync(path)) throw new Error(`web assets: ${path} is missing: run npm run build first`);
  return readFileSync(path);
}
