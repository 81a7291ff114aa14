// The board's access control over node:http: the login page and its POST, logout, the session's
// CSRF token for the page's script, and the checks the board's own routes call. Mount it first:
//   if (await auth.handle(req, res)) return;
//   const session = auth.requireRole(req, res, ['operator']); if (!session) return;
//   if (!auth.checkCsrf(req, res, session)) return;
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createLogger, type Logger } from '../../protocol/index.js';
import { HttpError, readBody } from '../http-body.js';
import { crossOriginReason, csrfReason, isSafeMethod, tokensEqual } from './csrf.js';
import { LOGIN_CSS, type LoginProblem, loginPage, pickLang } from './login-page.js';
import { LoginRateLimiter, type RateLimitOptions } from './ratelimit.js';
import {
  randomToken,
  readCookie,
  SESSION_COOKIE,
  type Session,
  type SessionOptions,
  SessionStore,
  serializeCookie,
} from './sessions.js';
import { createDirectory, type Directory, loadUsersFile, type Role, type User } from './users.js';

/** The pre-login token of the login form (double-submit: cookie and hidden field must match). */
export const LOGIN_COOKIE = 'hanvisa_login';

export interface AuthOptions {
  /** the users file to load at start (see docs/access.md) */
  usersFile?: string;
  /** or the users themselves */
  users?: readonly User[];
  /** the demo on a laptop: no login, everyone is an operator. Logged loudly at start. */
  openAccess?: boolean;
  clock?: () => number;
  /** true: cookies always Secure and HSTS sent; false: never; unset: when the request came over TLS
   * (directly, or through a trusted proxy saying X-Forwarded-Proto: https) */
  secureCookies?: boolean;
  /** the board sits behind a TLS proxy: believe its X-Forwarded-Proto and X-Forwarded-For */
  trustProxy?: boolean;
  /** the origin browsers see, e.g. https://vaxel.example.se; default from the Host header */
  publicOrigin?: string;
  sessions?: Omit<SessionOptions, 'clock'>;
  rateLimit?: Omit<RateLimitOptions, 'clock'>;
  log?: Logger;
}

/** What the board's page learns about its user (GET /api/session, and the JSON login answer). */
export interface SessionView {
  username: string;
  name: string;
  role: Role;
  orgs: string[] | '*';
  ext?: string;
  csrfToken: string;
}

export interface Auth {
  readonly openAccess: boolean;
  readonly sessions: SessionStore;
  readonly limiter: LoginRateLimiter;
  /** Serves /login, /login.css, /logout and /api/session; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  session(req: IncomingMessage): Session | undefined;
  /** The session when its role is one of `roles`; otherwise answers 401 (a page navigation is sent to
   * the login page) or 403 itself and returns undefined. */
  requireRole(req: IncomingMessage, res: ServerResponse, roles: readonly Role[]): Session | undefined;
  /** True for GET/HEAD/OPTIONS and for writes from the board's origin with the session's token;
   * otherwise answers 403 itself. Reads no body. */
  checkCsrf(req: IncomingMessage, res: ServerResponse, session: Session): boolean;
  securityHeaders(res: ServerResponse): void;
  /** refused requests by reason, for the health endpoint */
  rejected(): Record<string, number>;
}

const MAX_BODY = 8 * 1024;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const MAX_USERNAME = 64;
const MAX_PASSWORD = 1024;

export const sessionView = (s: Session): SessionView => ({
  username: s.username,
  name: s.name,
  role: s.role,
  orgs: s.orgs,
  ...(s.ext ? { ext: s.ext } : {}),
  csrfToken: s.csrfToken,
});

/** Only a path on this site: never `//evil.example` or `/\evil.example`, which browsers treat as hosts. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 512 || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next)) return '/';
  return next.startsWith('/login') || next.startsWith('/logout') ? '/' : next;
}

type Fields = Record<string, string | undefined>;

/** The form or JSON fields of a login/logout POST. */
async function readFields(req: IncomingMessage): Promise<{ form: boolean; fields: Fields }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return { form: true, fields: Object.fromEntries(new URLSearchParams(await readBody(req, MAX_BODY))) };
  }
  if (type === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(await readBody(req, MAX_BODY));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, 'body is not JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new HttpError(400, 'body must be a JSON object');
    const fields: Fields = {};
    for (const [k, v] of Object.entries(json)) {
      if (typeof v !== 'string') throw new HttpError(400, `field ${k.slice(0, 40)} must be a string`);
      fields[k] = v;
    }
    return { form: false, fields };
  }
  // Logout from a fetch() may have no body at all.
  if (!type && (await readBody(req, MAX_BODY)) === '') return { form: false, fields: {} };
  throw new HttpError(415, 'send application/x-www-form-urlencoded or application/json');
}

export function createAuth(options: AuthOptions): Auth {
  const log = options.log ?? createLogger('auth');
  const clock = options.clock ?? Date.now;
  const modes = [options.usersFile !== undefined, options.users !== undefined, options.openAccess === true];
  if (modes.filter(Boolean).length !== 1)
    throw new Error('auth: give exactly one of usersFile, users or openAccess');
  const openAccess = options.openAccess === true;
  let directory: Directory | undefined;
  if (!openAccess) {
    const users = options.usersFile !== undefined ? loadUsersFile(options.usersFile) : (options.users ?? []);
    directory = createDirectory(users);
    log.info('users loaded', { users: users.length, from: options.usersFile ?? 'options' });
  } else {
    log.warn('OPEN ACCESS: no login, every visitor is an operator. For the demo on one machine only.');
  }
  const sessions = new SessionStore({ ...options.sessions, clock });
  const limiter = new LoginRateLimiter({ ...options.rateLimit, clock });
  const openSession: Session = {
    id: 'open-access',
    username: 'demo',
    name: 'Demo',
    role: 'operator',
    orgs: '*',
    csrfToken: randomToken(),
    createdAt: clock(),
    lastSeen: clock(),
  };
  const counts = new Map<string, number>();
  const reject = (reason: string, fields: Record<string, unknown>) => {
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
    log.warn(`refused: ${reason}`, fields);
  };

  const firstForwarded = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim().toLowerCase();
  const isSecure = (req: IncomingMessage) =>
    options.secureCookies ??
    ((req.socket as TLSSocket).encrypted === true ||
      (options.trustProxy === true && firstForwarded(req.headers['x-forwarded-proto']) === 'https'));
  /** The client: with a trusted proxy, the address it appended last to X-Forwarded-For. */
  const clientAddress = (req: IncomingMessage) => {
    const forwarded = req.headers['x-forwarded-for'];
    if (options.trustProxy && typeof forwarded === 'string') {
      const last = forwarded.split(',').at(-1)?.trim();
      if (last) return last.slice(0, 64);
    }
    return req.socket.remoteAddress ?? 'unknown';
  };
  const originOf = (req: IncomingMessage) =>
    options.publicOrigin ?? `${isSecure(req) ? 'https' : 'http'}://${req.headers.host ?? ''}`;
  const pathOf = (req: IncomingMessage) => {
    try {
      return new URL(req.url ?? '/', 'http://board.invalid');
    } catch {
      return new URL('http://board.invalid/');
    }
  };

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // Only over TLS: a browser ignores HSTS on http anyway, and a demo on http must stay reachable.
    if (isSecure(res.req)) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  };

  const session = (req: IncomingMessage): Session | undefined =>
    openAccess ? openSession : sessions.get(readCookie(req.headers.cookie, SESSION_COOKIE));

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify(body));
  };
  const sendHtml = (res: ServerResponse, status: number, html: string) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(html);
  };
  const redirect = (res: ServerResponse, location: string) => {
    res.statusCode = 303;
    res.setHeader('Location', location);
    res.setHeader('Cache-Control', 'no-store');
    res.end();
  };
  const wantsHtml = (req: IncomingMessage) => (req.headers.accept ?? '').includes('text/html');

  const loginToken = (req: IncomingMessage) => {
    const existing = readCookie(req.headers.cookie, LOGIN_COOKIE);
    return existing && TOKEN.test(existing) ? existing : randomToken();
  };
  const showLogin = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    extra: { next: string; username?: string; problem?: LoginProblem },
  ) => {
    const url = pathOf(req);
    const token = loginToken(req);
    res.setHeader(
      'Set-Cookie',
      serializeCookie(LOGIN_COOKIE, token, { secure: isSecure(req), path: '/login', maxAge: 3600 }),
    );
    sendHtml(
      res,
      status,
      loginPage({
        lang: pickLang(url.searchParams.get('lang'), req.headers['accept-language']),
        csrfToken: token,
        ...extra,
      }),
    );
  };

  const login = async (req: IncomingMessage, res: ServerResponse) => {
    if (openAccess) return redirect(res, '/');
    const { form, fields } = await readFields(req);
    const next = safeNext(fields.next);
    const cross = crossOriginReason(req.headers, originOf(req));
    if (cross) {
      reject('login-cross-origin', { reason: cross });
      return sendJson(res, 403, { error: cross });
    }
    // A form must echo the token of its login cookie (a cross-site form cannot read it). JSON needs no
    // token: a cross-site page cannot send application/json without a CORS preflight, never granted.
    if (form && !tokensEqual(readCookie(req.headers.cookie, LOGIN_COOKIE) ?? '', fields.csrf)) {
      reject('login-csrf', {});
      return showLogin(req, res, 403, { next, problem: { kind: 'expired' } });
    }
    const username = (fields.username ?? '').trim().toLowerCase();
    const password = fields.password ?? '';
    const address = clientAddress(req);
    if (!username || username.length > MAX_USERNAME || password.length > MAX_PASSWORD) {
      reject('login-malformed', { address });
      return form
        ? showLogin(req, res, 400, { next, problem: { kind: 'failed' } })
        : sendJson(res, 400, {
            error: `username (1-${MAX_USERNAME}) and password (up to ${MAX_PASSWORD}) required`,
          });
    }
    const allowed = limiter.begin(address, username);
    if (!allowed.ok) {
      reject('login-rate-limited', { address, by: allowed.key });
      res.setHeader('Retry-After', String(allowed.retryAfterSeconds));
      return form
        ? showLogin(req, res, 429, {
            next,
            username,
            problem: { kind: 'limited', retryAfterSeconds: allowed.retryAfterSeconds },
          })
        : sendJson(res, 429, {
            error: 'too many failed logins',
            retryAfterSeconds: allowed.retryAfterSeconds,
          });
    }
    const user = await (directory as Directory).authenticate(username, password);
    if (!user) {
      // The name only when it is a user's: a password typed into the username field stays out of logs.
      reject('login-failed', { address, username: directory?.get(username) ? username : '(unknown)' });
      return form
        ? showLogin(req, res, 401, { next, username, problem: { kind: 'failed' } })
        : sendJson(res, 401, { error: 'wrong username or password' });
    }
    limiter.succeed(address, username);
    // A fresh id at every login: an id planted before login (session fixation) is worth nothing.
    sessions.destroy(readCookie(req.headers.cookie, SESSION_COOKIE));
    const created = sessions.create(user);
    log.info('logged in', { username: user.username, role: user.role, address });
    const secure = isSecure(req);
    res.setHeader('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, created.id, { secure }),
      serializeCookie(LOGIN_COOKIE, '', { secure, path: '/login', maxAge: 0 }),
    ]);
    return form ? redirect(res, next) : sendJson(res, 200, sessionView(created));
  };

  const logout = async (req: IncomingMessage, res: ServerResponse) => {
    const { form, fields } = await readFields(req);
    const current = openAccess ? undefined : session(req);
    if (current) {
      const reason = csrfReason(
        req.headers,
        originOf(req),
        current.csrfToken,
        fields.csrf ?? (req.headers['x-csrf-token'] as string | undefined),
      );
      if (reason) {
        reject('csrf', { path: '/logout', reason, username: current.username });
        return sendJson(res, 403, { error: reason });
      }
      sessions.destroy(current.id);
      log.info('logged out', { username: current.username });
    }
    res.setHeader('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { secure: isSecure(req), maxAge: 0 }));
    if (form) return redirect(res, '/login');
    res.statusCode = 204;
    res.setHeader('Cache-Control', 'no-store');
    res.end();
  };

  const ROUTES: Record<
    string,
    { methods: string[]; run: (req: IncomingMessage, res: ServerResponse) => unknown }
  > = {
    '/login': {
      methods: ['GET', 'HEAD', 'POST'],
      run: (req, res) => {
        if (req.method === 'POST') return login(req, res);
        if (openAccess || session(req)) return redirect(res, safeNext(pathOf(req).searchParams.get('next')));
        return showLogin(req, res, 200, { next: safeNext(pathOf(req).searchParams.get('next')) });
      },
    },
    '/login.css': {
      methods: ['GET', 'HEAD'],
      run: (_req, res) => {
        res.setHeader('Content-Type', 'text/css; charset=utf-8');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(LOGIN_CSS);
      },
    },
    '/logout': { methods: ['POST'], run: logout },
    '/api/session': {
      methods: ['GET', 'HEAD'],
      run: (req, res) => {
        const s = session(req);
        if (!s) return sendJson(res, 401, { error: 'not logged in' });
        return sendJson(res, 200, { ...sessionView(s), openAccess });
      },
    },
  };

  return {
    openAccess,
    sessions,
    limiter,
    securityHeaders,
    session,
    async handle(req, res) {
      const route = ROUTES[pathOf(req).pathname];
      if (!route) return false;
      securityHeaders(res);
      try {
        if (!route.methods.includes(req.method ?? '')) {
          res.setHeader('Allow', route.methods.join(', '));
          throw new HttpError(405, `method ${String(req.method).slice(0, 10)} not allowed here`);
        }
        await route.run(req, res);
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        reject('bad-request', { status: e.status, reason: e.message });
        if (e.status === 413) res.setHeader('Connection', 'close');
        sendJson(res, e.status, { error: e.message });
      }
      return true;
    },
    requireRole(req, res, roles) {
      const s = session(req);
      if (!s) {
        reject('unauthenticated', { path: pathOf(req).pathname.slice(0, 80) });
        const url = pathOf(req);
        if (req.method === 'GET' && wantsHtml(req)) {
          redirect(res, `/login?next=${encodeURIComponent(safeNext(url.pathname + url.search))}`);
        } else {
          sendJson(res, 401, { error: 'login required' });
        }
        return undefined;
      }
      if (!roles.includes(s.role)) {
        reject('forbidden', { username: s.username, role: s.role, path: pathOf(req).pathname.slice(0, 80) });
        sendJson(res, 403, { error: `the ${s.role} role may not do this` });
        return undefined;
      }
      return s;
    },
    checkCsrf(req, res, s) {
      if (isSafeMethod(req.method)) return true;
      const reason = csrfReason(req.headers, originOf(req), s.csrfToken);
      if (!reason) return true;
      reject('csrf', { path: pathOf(req).pathname.slice(0, 80), reason, username: s.username });
      sendJson(res, 403, { error: reason });
      return false;
    },
    rejected: () => Object.fromEntries(counts),
  };
}
