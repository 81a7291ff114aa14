// Logged-in sessions, signed so any board holding the same secret accepts them (two boards behind
// one proxy, issue 12): the cookie carries who the user is, when they logged in and when they were
// last seen, under an HMAC-SHA256 the browser cannot forge. Each board also keeps what it has seen
// in memory, for idle expiry of long-lived streams. The CSRF token is an HMAC of the session's nonce,
// so every board derives the same one; so is the id a logout is shared under (revocations.ts), which
// the board's revocations feature keeps on the broker. What logout means across boards: docs/access.md.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Revocation, Revocations } from './revocations.js';
import type { Role, User } from './users.js';

export const SESSION_COOKIE = 'hanvisa_session';

export interface Session {
  /** the cookie value it was created or first seen with; any later renewal names the same session */
  id: string;
  username: string;
  name: string;
  role: Role;
  orgs: string[] | '*';
  ext?: string;
  /** a manager's departments */
  departments?: string[];
  csrfToken: string;
  createdAt: number;
  lastSeen: number;
  /** a login from the municipality's identity provider (oidc.ts) ends here at the latest: its next check */
  expiresAt?: number;
}

/** What the board's page learns about its user (GET /api/session, and the JSON login answer). */
export type SessionView = Pick<
  Session,
  'username' | 'name' | 'role' | 'orgs' | 'ext' | 'departments' | 'csrfToken'
>;

export const sessionView = (s: Session): SessionView => ({
  username: s.username,
  name: s.name,
  role: s.role,
  orgs: s.orgs,
  ...(s.ext ? { ext: s.ext } : {}),
  ...(s.departments ? { departments: s.departments } : {}),
  csrfToken: s.csrfToken,
});

type SessionUser = Pick<User, 'username' | 'name' | 'role' | 'orgs' | 'ext' | 'departments'>;

/** A login from the identity provider instead of the users file (oidc.ts). */
export interface ExternalLogin {
  /** the session ends at this time (ms) whatever the activity: the login is checked at the provider again */
  expiresAt: number;
}

export interface SessionOptions {
  /** logged out after this long without a request; default 8 h, an operator's shift */
  idleMs?: number;
  /** logged out this long after login whatever the activity; default 12 h */
  absoluteMs?: number;
  /** oldest sessions a board remembers beyond this many are forgotten (a signed one is re-read); default 10,000 */
  maxSessions?: number;
  /**
   * signs the cookies; every board behind one address needs the same (at least 32 bytes). None: a
   * random one, so only this process accepts its sessions and a restart logs everyone out.
   */
  secret?: string;
  /**
   * The user as the users file has them now (undefined: removed), checked on every request: a session
   * whose user was removed or changed (role, organisations, extension, name, password) ends on every
   * board that has reloaded the file.
   */
  currentUser?: (username: string) => string | undefined;
  clock?: () => number;
}

const HOUR = 60 * 60 * 1000;
/** how stale the cookie's "last seen" may get before a request renews it (idle expiry's resolution) */
export const RENEW_AFTER_MS = 60 * 1000;

export const randomToken = () => randomBytes(32).toString('base64url');

/** The signed part of the cookie. Short keys: it travels with every request. */
interface Claims {
  n: string;
  u: string;
  nm: string;
  r: Role;
  o: string[] | '*';
  e?: string;
  d?: string[];
  /** the users file's version of the user at login (currentUser); absent for a provider's login */
  f?: string;
  /** a provider's login: its end (ms) */
  x?: number;
  c: number;
  s: number;
}

export class SessionStore {
  /** by nonce: what this board has seen of each session */
  private readonly sessions = new Map<string, Session & { nonce: string; revocationId: string }>();
  /** logins refused until their absolute expiry, by revocation id: logged out here or on another board */
  readonly revocations = new Revocations();
  /**
   * Whether this board holds the current list of logouts made on the other boards (the board's
   * revocations feature says so while it hears the broker). While it does not, a cookie of a login this
   * board has not seen is refused: it may have been logged out elsewhere (fail safe, docs/access.md).
   */
  revocationsKnown = true;
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly maxSessions: number;
  private readonly clock: () => number;
  private readonly key: Buffer;
  private readonly currentUser: (username: string) => string | undefined;

  constructor(options: SessionOptions = {}) {
    this.idleMs = options.idleMs ?? 8 * HOUR;
    this.absoluteMs = options.absoluteMs ?? 12 * HOUR;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.clock = options.clock ?? Date.now;
    if (options.secret !== undefined && Buffer.byteLength(options.secret) < 32)
      throw new Error('the session secret must be at least 32 bytes (openssl rand -base64 32)');
    this.key = options.secret !== undefined ? Buffer.from(options.secret) : randomBytes(32);
    this.currentUser = options.currentUser ?? (() => '');
  }

  get size(): number {
    return this.sessions.size;
  }

  /** A new session for a user of the users file, or (`external`) one the identity provider vouched for. */
  create(user: SessionUser, external?: ExternalLogin): Session {
    const now = this.clock();
    const claims: Claims = {
      n: randomToken(),
      u: user.username,
      nm: user.name,
      r: user.role,
      o: user.orgs,
      ...(user.ext ? { e: user.ext } : {}),
      ...(user.departments ? { d: user.departments } : {}),
      ...(external ? { x: external.expiresAt } : { f: this.currentUser(user.username) ?? '' }),
      c: now,
      s: now,
    };
    return this.remember(this.sign(claims), claims, now);
  }

  /** The live session for this cookie, its idle timer restarted; expired or forged ones are refused. */
  get(token: string | undefined): Session | undefined {
    const now = this.clock();
    const claims = this.verify(token, now);
    if (!claims || token === undefined) return undefined;
    const known = this.sessions.get(claims.n);
    if (known) {
      known.lastSeen = now;
      return known;
    }
    return this.remember(token, claims, now);
  }

  /** A cookie value to send instead of `token` when its "last seen" is stale (idle expiry on every board), or undefined. */
  renewal(token: string | undefined): string | undefined {
    const claims = this.verify(token, this.clock());
    if (!claims || this.clock() - claims.s < RENEW_AFTER_MS) return undefined;
    return this.sign({ ...claims, s: this.clock() });
  }

  /** Whether the session is still live, without counting as activity (a long-lived stream asking must
   * not keep its session alive forever). */
  alive(id: string): boolean {
    const claims = this.verify(id, this.clock());
    return claims !== undefined && this.sessions.has(claims.n);
  }

  /** Logs a session out: refused here until its absolute expiry, and told to the other boards
   * (`revocations.onLogout`). */
  destroy(token: string | undefined): void {
    const claims = this.decode(token);
    if (!claims) return;
    this.sessions.delete(claims.n);
    const until = claims.c + this.absoluteMs;
    // an expired cookie (an old one in the browser at login) is refused anyway: nothing to tell
    if (until > this.clock()) this.revocations.logout({ id: this.revocationId(claims.n), until });
  }

  /** Ends every session of a user on this board (password changed, user removed). */
  destroyUser(username: string): void {
    for (const [nonce, s] of this.sessions)
      if (s.username === username) {
        this.sessions.delete(nonce);
        this.revocations.add({ id: s.revocationId, until: s.createdAt + this.absoluteMs });
      }
  }

  /**
   * A logout made on another board (or on this one before a restart): refused here too until it
   * expires. False when it has expired already (nothing left to refuse).
   */
  revoke(revocation: Revocation): boolean {
    const now = this.clock();
    if (revocation.until <= now) return false;
    // no login lives longer than the absolute timeout: a far-future `until` is not kept beyond it
    this.revocations.add({ id: revocation.id, until: Math.min(revocation.until, now + this.absoluteMs) });
    for (const [nonce, s] of this.sessions) if (s.revocationId === revocation.id) this.sessions.delete(nonce);
    return true;
  }

  /** The logouts still in force, to tell the other boards again. */
  liveRevocations(): Revocation[] {
    return this.revocations.live(this.clock());
  }

  /** Forgets expired sessions and expired logouts; returns the ids of the logouts forgotten. */
  sweep(): string[] {
    this.sweepSessions(this.clock());
    return this.revocations.dropExpired(this.clock());
  }

  private sweepSessions(now: number): void {
    for (const [nonce, s] of this.sessions)
      if (this.expired(s.createdAt, s.lastSeen, now)) this.sessions.delete(nonce);
  }

  private remember(token: string, claims: Claims, now: number): Session {
    if (this.sessions.size >= this.maxSessions) this.sweepSessions(now);
    // Map order is first-seen order: the first key is the oldest
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session = {
      id: token,
      nonce: claims.n,
      revocationId: this.revocationId(claims.n),
      username: claims.u,
      name: claims.nm,
      role: claims.r,
      orgs: claims.o,
      ...(claims.e ? { ext: claims.e } : {}),
      ...(claims.d ? { departments: claims.d } : {}),
      ...(claims.x !== undefined ? { expiresAt: claims.x } : {}),
      csrfToken: this.mac(`csrf.${claims.n}`),
      createdAt: claims.c,
      lastSeen: now,
    };
    this.sessions.set(claims.n, session);
    return session;
  }

  /** The claims of a genuine, live, not logged-out session whose user is unchanged; else undefined. */
  private verify(token: string | undefined, now: number): Claims | undefined {
    const claims = this.decode(token);
    if (!claims) return undefined;
    const known = this.sessions.get(claims.n);
    if (!known && !this.revocationsKnown) return undefined;
    if (this.revocations.has(known?.revocationId ?? this.revocationId(claims.n))) return undefined;
    const lastSeen = Math.max(claims.s, known?.lastSeen ?? 0);
    // the users file speaks for its users; a provider's login ends at its check time instead
    const changed = claims.x === undefined ? this.currentUser(claims.u) !== claims.f : now >= claims.x;
    const gone = this.expired(claims.c, lastSeen, now) || changed;
    if (!gone) return claims;
    // Ended for good (a clock stepped back does not revive it) once this board knows it ended; an
    // old cookie of a session it never saw proves no more than that cookie is stale.
    if (known) this.revocations.add({ id: known.revocationId, until: claims.c + this.absoluteMs });
    this.sessions.delete(claims.n);
    return undefined;
  }

  /**
   * A value signed under `label` with the boards' secret (an OIDC login's state cookie, oidc.ts): any
   * board behind the same address can read it back, no browser can forge it.
   */
  seal(label: string, value: unknown): string {
    const body = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${body}.${this.labelledMac(label, body)}`;
  }

  /** What `seal(label, ...)` signed, or undefined for anything else. */
  unseal(label: string, token: string | undefined): unknown {
    const dot = token?.lastIndexOf('.') ?? -1;
    if (!token || dot < 0 || token.length > 4096) return undefined;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.labelledMac(label, body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  }

  /** The claims of a cookie this secret signed (any age), or undefined. */
  private decode(token: string | undefined): Claims | undefined {
    return this.unseal('', token) as Claims | undefined;
  }

  /** The id a logout of this nonce is shared under: only holders of the secret can tell whose it is. */
  private revocationId(nonce: string): string {
    return this.mac(`revoked.${nonce}`);
  }

  private sign(claims: Claims): string {
    return this.seal('', claims);
  }

  /** The session cookie's label is empty: it signs the body alone, as it always has. */
  private labelledMac(label: string, body: string): string {
    return this.mac(label ? `${label}.${body}` : body);
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  private expired(createdAt: number, lastSeen: number, now: number): boolean {
    return now - lastSeen >= this.idleMs || now - createdAt >= this.absoluteMs;
  }
}

export interface CookieOptions {
  secure: boolean;
  path?: string;
  /** seconds; omitted means a browser-session cookie, 0 deletes it */
  maxAge?: number;
  /** default Strict; Lax only for the OIDC login's state, which must come back on the provider's redirect */
  sameSite?: 'Strict' | 'Lax';
}

/** A Set-Cookie value: always HttpOnly, SameSite=Strict unless asked, Secure when the board is reached over TLS. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    `Path=${options.path ?? '/'}`,
    'HttpOnly',
    `SameSite=${options.sameSite ?? 'Strict'}`,
  ];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** One cookie's value from a Cookie header; the first wins when a name repeats. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
