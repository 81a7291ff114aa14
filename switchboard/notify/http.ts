// The notifier's HTTP side: the pages its signed links open (`/handled`, `/extend`). A GET verifies
// the link and shows what it will do with one button; the POST verifies it again, marks it used (each
// link works once, state.ts) and does it. Bad links are answered with a page saying why, counted and
// logged, and change nothing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, readBody } from '../http-body.js';
import type { NotifyContext } from './context.js';
import { type LinkClaim, linkKey, verifyLink } from './links.js';
import { PAGE_TEXTS, page } from './pages.js';

/** What one kind of link does. */
export interface LinkAction {
  /** the question the GET page asks with its button, or undefined when nothing is left to do */
  ask(claim: LinkClaim): { question: string; button: string } | undefined;
  /** does it; false when nothing was left to do */
  act(claim: LinkClaim): Promise<boolean>;
}

export interface NotifyHttp {
  url: string;
  /** links refused (forged, expired, used), for the figures */
  refused(): number;
  close(): Promise<void>;
}

export async function startNotifyHttp(
  ctx: NotifyContext,
  actions: Record<LinkClaim['do'], LinkAction>,
  listen: { host: string; port: number },
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
    const what = url.pathname.replace(/^\/+/, '') as LinkClaim['do'];
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
