// The notifier's HTTP side: the pages its signed links open (`/handled`, `/extend`), and the staff
// page's Web Push opt-in (`/push/key`, `/push/subscriptions`). A link's GET verifies it and shows what
// it will do with one button; the POST verifies it again, marks it used (each link works once,
// state.ts) and does it. Bad links and bad requests are answered with why, counted and logged, and
// change nothing. The staff page and its service worker may be served from another origin than this
// (the board's), so the push routes and the extend POST allow any origin (CORS): they use no cookie,
// the signed token alone says who and what, and the answer tells nothing beyond done or not.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, readBody } from '../http-body.js';
import type { NotifyContext } from './context.js';
import { type LinkClaim, linkKey, verifyLink } from './links.js';
import { PAGE_TEXTS, page } from './pages.js';
import { PushSubscription, pushEndpointAllowed } from './push.js';

/** What one kind of link does. */
export interface LinkAction {
  /** the question the GET page asks with its button, or undefined when nothing is left to do */
  ask(claim: LinkClaim): { question: string; button: string } | undefined;
  /** does it; false when nothing was left to do */
  act(claim: LinkClaim): Promise<boolean>;
}

/** The staff page's Web Push opt-in, where the notifier has VAPID keys. */
export interface PushOptIn {
  publicKey: string;
  subscribe(ext: string, subscription: PushSubscription): void;
}

export interface NotifyHttp {
  url: string;
  /** links refused (forged, expired, used), for the figures */
  refused(): number;
  close(): Promise<void>;
}

export async function startNotifyHttp(
  ctx: NotifyContext,
  actions: Record<'handled' | 'extend', LinkAction>,
  listen: { host: string; port: number },
  push?: PushOptIn,
): Promise<NotifyHttp> {
  let refused = 0;
  const send = (res: ServerResponse, status: number, html: string) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    res.end(html);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const language = ctx.directory.language();
    const t = PAGE_TEXTS[language];
    const url = new URL(req.url ?? '/', 'http://notify');
    if (url.pathname.startsWith('/push/')) return pushRoute(req, res, url.pathname);
    const what = url.pathname.replace(/^\/+/, '') as 'handled' | 'extend';
    // the service worker's tap on "extend" reads whether it worked (docs/notify.md)
    if (what === 'extend' && req.method === 'POST') res.setHeader('access-control-allow-origin', '*');
    const action = Object.hasOwn(actions, what) ? actions[what] : undefined;
    if (!action || (req.method !== 'GET' && req.method !== 'POST')) throw new HttpError(404, 'not found');
    const token =
      req.method === 'GET'
        ? url.searchParams.get('t')
        : new URLSearchParams(await readBody(req, 4096)).get('t');
    const verified = verifyLink(ctx.links.secret, token ?? '', ctx.clock.now());
    const refuse = (status: number, why: string, sentence: string) => {
      refused++;
      ctx.log.warn('link refused', { link: what, why });
      send(res, status, page(language, sentence));
    };
    if (!verified.ok) return refuse(verified.why === 'expired' ? 410 : 403, verified.why, t[verified.why]);
    const { claim } = verified;
    if (claim.do !== what || claim.org !== ctx.org) return refuse(403, 'forged', t.forged);
    if (req.method === 'GET') {
      const asked = action.ask(claim);
      if (!asked) return send(res, 200, page(language, t.gone));
      return send(
        res,
        200,
        page(language, asked.question, { label: asked.button, token: token ?? '', action: what }),
      );
    }
    if (!ctx.state.useLink(linkKey(claim), claim.exp, ctx.clock.now())) return refuse(409, 'used', t.used);
    const done = await action.act(claim);
    send(res, 200, page(language, done ? t.done : t.gone));
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
    });
    res.end(JSON.stringify(body));
  };

  // The staff page signs `{do: "push", org, ext, id: "subscribe"}` with the link secret for the
  // person logged in there (links.ts' signLink), so the notifier needs no login of its own.
  const pushRoute = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!push) throw new HttpError(404, 'no push configured');
    // the staff page's JSON POST is preflighted when the board is on another origin
    if (path === '/push/subscriptions' && req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
      });
      return void res.end();
    }
    if (path === '/push/key' && req.method === 'GET') return json(res, 200, { publicKey: push.publicKey });
    if (path !== '/push/subscriptions' || req.method !== 'POST') throw new HttpError(404, 'not found');
    const bad = (why: string) => {
      refused++;
      ctx.log.warn('push subscription refused', { why });
      json(res, 400, { error: why });
    };
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, 8192));
    } catch {
      return bad('not JSON');
    }
    const { t, subscription } = (body ?? {}) as { t?: unknown; subscription?: unknown };
    const verified = verifyLink(ctx.links.secret, typeof t === 'string' ? t : '', ctx.clock.now());
    if (!verified.ok) return bad(`token ${verified.why}`);
    const { claim } = verified;
    if (claim.do !== 'push' || claim.org !== ctx.org || claim.id !== 'subscribe') return bad('token forged');
    const parsed = PushSubscription.safeParse(subscription);
    if (!parsed.success) return bad('subscription: endpoint and keys.p256dh, keys.auth');
    if (!pushEndpointAllowed(parsed.data.endpoint)) return bad('subscription: the endpoint must be https');
    push.subscribe(claim.ext, parsed.data);
    ctx.log.info('push subscription added', { ext: claim.ext });
    json(res, 201, { ok: true });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) ctx.log.error('notify request failed', { error: (e as Error).message });
      if (!res.headersSent)
        send(res, status, page(ctx.directory.language(), PAGE_TEXTS[ctx.directory.language()].failed));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}/`,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
