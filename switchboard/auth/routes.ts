// The auth layer's own routes: the login page and its POST (form or JSON), logout, the login page's
// stylesheet, and /api/session for the board's script.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.js';
import { crossOriginReason, csrfReason, tokensEqual } from './csrf.js';
import { MAX_PASSWORD, MAX_USERNAME, readFields, safeNext } from './login-form.js';
import { LOGIN_CSS, type LoginProblem, loginPage, pickLang } from './login-page.js';
import type { LoginRateLimiter } from './ratelimit.js';
import { pathOf, type RequestFacts } from './request.js';
import { redirect, sendHtml, sendJson } from './responses.js';
import {
  randomToken,
  readCookie,
  SESSION_COOKIE,
  type Session,
  type SessionStore,
  serializeCookie,
  sessionView,
} from './sessions.js';
import type { Directory } from './users.js';

/** The pre-login token of the login form (double-submit: cookie and hidden field must match). */
export const LOGIN_COOKIE = 'hanvisa_login';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What the routes share with the rest of the auth layer. */
export interface RouteContext {
  openAccess: boolean;
  /** the municipality's provider logs people in (oidc.ts): /login sends them there, /login?local=1 is the users file's */
  oidc: boolean;
  /** the users as last loaded (a reload swaps them); undefined in open access */
  directory(): Directory | undefined;
  sessions: SessionStore;
  limiter: LoginRateLimiter;
  log: Logger;
  facts: RequestFacts;
  session(req: IncomingMessage): Session | undefined;
  /** counts and logs a refusal */
  reject(reason: string, fields: Record<string, unknown>): void;
}

export interface Route {
  methods: string[];
  run: (req: IncomingMessage, res: ServerResponse) => unknown;
}

export function authRoutes(ctx: RouteContext): Record<string, Route> {
  const { openAccess, directory, sessions, limiter, log, reject, session } = ctx;
  const { isSecure, clientAddress, originOf } = ctx.facts;

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
        lang: pickLang(
          url.searchParams.get('lang'),
          req.headers['accept-language'],
          url.searchParams.get('next'),
        ),
        csrfToken: token,
        // beside the provider this is the break-glass page: its language links must stay on it
        local: ctx.oidc,
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
    const users = directory() as Directory;
    const user = await users.authenticate(username, password);
    if (!user) {
      // The name only when it is a user's: a password typed into the username field stays out of logs.
      reject('login-failed', { address, username: users.get(username) ? username : '(unknown)' });
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

  return {
    '/login': {
      methods: ['GET', 'HEAD', 'POST'],
      run: (req, res) => {
        if (req.method === 'POST') return login(req, res);
        const next = safeNext(pathOf(req).searchParams.get('next'));
        if (openAccess || session(req)) return redirect(res, next);
        if (ctx.oidc && !pathOf(req).searchParams.has('local'))
          return redirect(res, `/login/oidc?next=${encodeURIComponent(next)}`);
        return showLogin(req, res, 200, { next });
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
}
