// The package this code runs from: its root (found from this module, so the same lookup works from
// source under vitest and from dist/, where tsc copies no package.json) and its version. The desk
// reports that version, so an agent update (a new release directory) is seen by what it runs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A path in the package, from the nearest folder above this module that holds a package.json. */
export function packageDir(...parts: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, ...parts);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package root (package.json) not found above this module');
    dir = parent;
  }
}

/** package.json's version: what `npm install` (or an agent update) installed. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packageDir('package.json'), 'utf8')) as { version: string }).version;
}
