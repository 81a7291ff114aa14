// The staff page, served by the board: /staff/ (the page, for staff and managers), its files and the
// installable app's manifest and service worker under /staff/, and GET /api/me (me.ts). Writes go to
// the board's own routes (POST /api/presence/..., .../handled), where access.ts decides: the person's
// own extension only. With a notifier (`--notify-url`), GET /api/me/push gives the page the notifier's
// address and a token signed for the person's own extension, for the Web Push opt-in. docs/staff.md.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { packageDir } from '../../config/package.js';
import type { Session } from '../auth/index.js';
import { HttpError, json } from '../board/http.js';
import type { BoardModel } from '../board/model.js';
import { signLink } from '../notify/links.js';
import { readBundle } from '../web-assets/bundles.js';
import { myView } from './me.js';
import type { MyPush } from './my-view.js';

/** The files under /staff/, read once at start; the page itself is index.html at /staff/. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'manifest.webmanifest': 'application/manifest+json',
  'icon.svg': 'image/svg+xml',
};
const BUNDLES: Record<string, string> = { 'staff.js': 'staff/staff.js', 'sw.js': 'staff/sw.js' };

/**
 * The board's policy plus what an installable page needs: its manifest and its service worker; and the
 * notifier's origin, where the page subscribes to push and the worker POSTs the nudge's extend (the
 * worker's own fetches follow the CSP its script was served with).
 */
const csp = (notifyOrigin: string | undefined) =>
  `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${notifyOrigin ? ` ${notifyOrigin}` : ''}; ` +
  "manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The notifier the staff page subscribes to push at (docs/notify.md, "For the staff page"). */
export interface StaffNotify {
  /** the notifier's address as the staff's browsers reach it: its `publicUrl` */
  url: string;
  /** the notifier's link secret: the board signs the person's subscribe token with it */
  linkSecret: string;
}

/** How long the subscribe token the page gets works: the page uses it at once. */
const PUSH_TOKEN_MS = 10 * 60_000;

export interface StaffRoutes {
  /** a path this serves */
  matches(path: string): boolean;
  /** a file that holds no one's data: served without a session (the login page needs none of them) */
  isFile(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string, session: Session | undefined): void;
}

export function createStaffRoutes(
  model: BoardModel,
  notify?: StaffNotify,
  now: () => number = Date.now,
): StaffRoutes {
  const notifyUrl = notify && new URL(notify.url.endsWith('/') ? notify.url : `${notify.url}/`);
  const CSP = csp(notifyUrl?.origin);
  const dir = packageDir('switchboard', 'staff', 'web');
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const [name, type] of Object.entries(FILES))
    files.set(name, { type, body: readFileSync(join(dir, name)) });
  for (const [name, bundle] of Object.entries(BUNDLES))
    files.set(name, { type: 'text/javascript; charset=utf-8', body: readBundle(bundle) });
  const send = (req: IncomingMessage, res: ServerResponse, name: string) => {
    const file = files.get(name);
    if (!file) throw new HttpError(404, `no such page: /staff/${name.slice(0, 80)}`);
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Length', file.body.length);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
  const fileName = (path: string) => path.slice('/staff/'.length);
  return {
    matches: (path) =>
      path === '/staff' || path.startsWith('/staff/') || path === '/api/me' || path === '/api/me/push',
    isFile: (path) =>
      path.startsWith('/staff/') && files.has(fileName(path)) && fileName(path) !== 'index.html',
    handle(req, res, path, session) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        throw new HttpError(405, `method ${String(req.method).slice(0, 10)} not allowed here`);
      }
      // the service worker's scope is /staff/: the page must be inside it
      if (path === '/staff') {
        res.statusCode = 308;
        res.setHeader('Location', '/staff/');
        return void res.end();
      }
      if (path === '/api/me') {
        const me = session && myView(model, session);
        if (!me) throw new HttpError(404, 'your extension is not on this board', 'ext', 'unknown');
        return json(req, res, me);
      }
      if (path === '/api/me/push') {
        const me = session && myView(model, session);
        if (!notify || !notifyUrl) throw new HttpError(404, 'no notifier: push is not offered here');
        if (!me) throw new HttpError(404, 'your extension is not on this board', 'ext', 'unknown');
        const claim = {
          do: 'push' as const,
          org: me.org,
          ext: me.ext,
          id: 'subscribe',
          exp: now() + PUSH_TOKEN_MS,
        };
        const answer: MyPush = { url: notifyUrl.href, t: signLink(notify.linkSecret, claim) };
        return json(req, res, answer);
      }
      send(req, res, path === '/staff/' ? 'index.html' : fileName(path));
    },
  };
}
