// The page's static files: plain ES modules and CSS in switchboard/board/web, read once at start and
// served from a fixed list, so no request path ever reaches the file system.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError, orgParam } from './http.js';

/** A folder of the package, found from the package root so the same lookup works from source (vitest)
 * and from dist/ (tsc copies no assets). */
export function packageDir(...parts: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, ...parts);
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('board: package root (package.json) not found above the server module');
    dir = parent;
  }
}

const findWebDir = () => packageDir('switchboard', 'board', 'web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The only files served. */
const ASSETS = [
  'index.html',
  'app.js',
  'state.js',
  'data.js',
  'elements.js',
  'list.js',
  'detail.js',
  'deptpanel.js',
  'acting.js',
  'header.js',
  'strip.js',
  'keys.js',
  'session.js',
  'stream.js',
  'format.js',
  'texts.js',
  'fold.js',
  'symbols.js',
  'errors.js',
  'help.js',
  'history.js',
  'departments.js',
  'style.css',
  'controls.css',
  'favicon.svg',
];

export type Assets = Map<string, { type: string; body: Buffer }>;

export function loadAssets(): Assets {
  const dir = findWebDir();
  const assets: Assets = new Map();
  for (const name of ASSETS) {
    const ext = name.slice(name.lastIndexOf('.'));
    assets.set(name, { type: TYPES[ext] ?? 'application/octet-stream', body: readFileSync(join(dir, name)) });
  }
  return assets;
}

export function sendAsset(
  req: IncomingMessage,
  res: ServerResponse,
  assets: Assets,
  name: string,
  url: URL,
): void {
  if (name === 'index.html') orgParam(url);
  const file = assets.get(name);
  if (!file) throw new HttpError(404, `no such asset: ${name.slice(0, 80)}`);
  res.setHeader('Content-Type', file.type);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Length', file.body.length);
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
