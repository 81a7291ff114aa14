// The page's static files: the HTML and CSS in switchboard/board/web and its script bundled from there
// (scripts/build-web.mjs, into dist/web), read once at start and served from a fixed list, so no
// request path ever reaches the file system. Found through web-assets/, as the statistics page's are.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { packageDir } from '../../config/package.js';
import { readBundle } from '../web-assets/bundles.js';
import { HttpError, orgParam } from './http.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The only files served besides the bundles (app.js, stream-open.js). */
const STATIC = ['index.html', 'style.css', 'controls.css', 'favicon.svg'];

export type Assets = Map<string, { type: string; body: Buffer }>;

export function loadAssets(): Assets {
  const dir = packageDir('switchboard', 'board', 'web');
  const assets: Assets = new Map();
  for (const name of STATIC) {
    const ext = name.slice(name.lastIndexOf('.'));
    assets.set(name, { type: TYPES[ext] ?? 'application/octet-stream', body: readFileSync(join(dir, name)) });
  }
  for (const bundle of ['app.js', 'stream-open.js'])
    assets.set(bundle, { type: TYPES['.js'] as string, body: readBundle(join('board', bundle)) });
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
