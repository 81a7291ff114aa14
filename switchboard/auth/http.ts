// The board's access control over node:http: the login page and its POST, logout, the session's
// CSRF token for the page's script, and the checks the board's own routes call. Mount it first:
//   if (await auth.handle(req, res)) return;
//   const session = auth.requireRole(req, res, ['operator']); if (!session) return;
//   if (!auth.checkCsrf(req, res, session)) return;
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger, type Logger } from '../../log/logger.js';
import { HttpError } from '../http-body.js';
import { csrfReason, isSafeMethod } from './csrf.js';
import { safeNext } from './login-form.js';
import { oidcRoutes } from './oidc.js';
import type { OidcConfig } from './oidc-config.js';
import { LoginRateLimiter, type RateLimitOptions } from './ratelimit.js';
import { type ProxyOptions, pathOf, requestFacts, wantsHtml } from './request.js';
import { redirect, sendJson, setSecurityHeaders } from './responses.js';
import { authRoutes } from './routes.js';
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

export interface AuthOptions extends ProxyOptions {
  /** the users file to load at start (see docs/access.md) */
  usersFile?: string;
  /** or the users themselves */
  users?: readonly User[];
  /** the demo on a laptop: no login, everyone is an operator. Logged loudly at start. */
  openAccess?: boolean;
  /** the municipality's identity provider (oidc.ts); with users or a users file too, those log in at /login?local=1 */
  oidc?: OidcConfig;
  clock?: () => number;
  sessions?: Omit<SessionOptions, 'clock'>;
  rateLimit?: Omit<RateLimitOptions, 'clock'>;
  log?: Logger;
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
  /** whether the request came over TLS (directly, or through a trusted proxy): HSTS and Secure cookies */
  overTls(req: IncomingMessage): boolean;
  /**
   * Re-reads the users file (SIGHUP, `systemctl reload`): sessions of users removed or changed (role,
   * organisations, extension, name, password) end; everyone else stays logged in. A file that does not
   * load throws ConfigFileError and changes nothing. Only for a board started with a users file.
   */
  reloadUsers(): { users: number; endedSessions: number };
  /** refused requests by reason, for the health endpoint */
  rejected(): Record<string, number>;
}

export function createAuth(options: AuthOptions): Auth {
  const log = options.log ?? createLogger('auth');
  const clock = options.clock ?? Date.now;
  const modes = [options.usersFile !== undefined, options.users !== undefined, options.openAccess === true];
  // oidc goes alone or beside a users file (break-glass accounts), never with open access
  if (
    modes.filter(Boolean).length > 1 ||
    (options.oidc && options.openAccess) ||
    (!modes.some(Boolean) && !options.oidc)
  )
    throw new Error(
      'auth: give exactly one of usersFile, users or openAccess, or oidc (alone or with users)',
    );
  const openAccess = options.openAccess === true;
  let directory: Directory | undefined;
  let loaded: ReadonlyMap<string, User> = new Map();
  const use = (users: readonly User[]) => {
    directory = createDirectory(users);
    loaded = new Map(users.map((u) => [u.username, u]));
  };
  if (!openAccess) {
    const users = options.usersFile !== undefined ? loadUsersFile(options.usersFile) : (options.users ?? []);
    use(users);
    log.info('users loaded', { users: users.length, from: options.usersFile ?? 'options' });
  } else {
    log.warn('OPEN ACCESS: no login, every visitor is an operator. For the demo on one machine only.');
  }
  // the user's whole entry (password hash included): any change there ends their sessions on every board
  const fingerprint = (username: string) => {
    const user = loaded.get(username);
    return user && createHash('sha256').update(JSON.stringify(user)).digest('base64url').slice(0, 16);
  };
  const sessions = new SessionStore({ ...options.sessions, currentUser: fingerprint, clock });
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
  const facts = requestFacts(options);
  const securityHeaders = (res: ServerResponse) => setSecurityHeaders(res, facts.isSecure(res.req));
  const session = (req: IncomingMessage): Session | undefined =>
    openAccess ? openSession : sessions.get(readCookie(req.headers.cookie, SESSION_COOKIE));
  const context = {
    openAccess,
    oidc: options.oidc !== undefined,
    directory: () => directory,
    sessions,
    limiter,
    log,
    facts,
    session,
    reject,
  };
  const routes = {
    ...authRoutes(context),
    ...(options.oidc ? oidcRoutes({ ...context, config: options.oidc, clock }) : {}),
  };

  const reloadUsers = () => {
    if (options.usersFile === undefined)
      throw new Error('auth: only a board started with a users file can reload it');
    const users = loadUsersFile(options.usersFile);
    const before = loaded;
    use(users);
    const changed = [...before.values()].filter((old) => {
      const now = loaded.get(old.username);
      return !now || JSON.stringify(now) !== JSON.stringify(old);
    });
    const sessionsBefore = sessions.size;
    for (const user of changed) sessions.destroyUser(user.username);
    const endedSessions = sessionsBefore - sessions.size;
    log.info('users reloaded', { users: users.length, changedOrRemoved: changed.length, endedSessions });
    return { users: users.length, endedSessions };
  };

  return {
    openAccess,
    sessions,
    limiter,
    securityHeaders,
    overTls: facts.isSecure,
    reloadUsers,
    session,
    async handle(req, res) {
      const route = routes[pathOf(req).pathname];
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
      // the cookie's "last seen" moves on, so any board can tell an idle session from a busy one
      const renewed = openAccess
        ? undefined
        : sessions.renewal(readCookie(req.headers.cookie, SESSION_COOKIE));
      if (s && renewed)
        res.setHeader(
          'Set-Cookie',
          serializeCookie(SESSION_COOKIE, renewed, { secure: facts.isSecure(req) }),
        );
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
      const reason = csrfReason(req.headers, facts.originOf(req), s.csrfToken);
      if (!reason) return true;
      reject('csrf', { path: pathOf(req).pathname.slice(0, 80), reason, username: s.username });
      sendJson(res, 403, { error: reason });
      return false;
    },
    rejected: () => Object.fromEntries(counts),
  };
}
