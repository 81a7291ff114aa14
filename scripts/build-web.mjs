// The browser pages as one bundle each (esbuild), so they import the shared rules, wire decoding and
// language list from their TypeScript source instead of copying them. `npm run build` and the test
// suite (vitest globalSetup) both call this; the servers read the bundles from dist/web at start.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each page's entry module and the bundle's path under dist/web (what assets.ts and stats-http.ts read). */
export const WEB_BUNDLES = [
  { entry: 'switchboard/board/web/app.ts', out: 'board/app.js' },
  // a classic script run in the head, before the bundle (it opens the stream)
  { entry: 'switchboard/board/web/stream-open.ts', out: 'board/stream-open.js', format: 'iife' },
  { entry: 'switchboard/recorder/web/stats.ts', out: 'recorder/stats.js' },
  { entry: 'switchboard/staff/web/staff.ts', out: 'staff/staff.js' },
  { entry: 'switchboard/staff/web/sw.ts', out: 'staff/sw.js' },
];

export async function buildWeb() {
  for (const { entry, out, format = 'esm' } of WEB_BUNDLES)
    await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: join(root, 'dist', 'web', out),
      bundle: true,
      format,
      // the syntax the pages were written in: esbuild lowers nothing, the bundle reads like the source
      target: ['es2022'],
      platform: 'browser',
      logLevel: 'warning',
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWeb();
