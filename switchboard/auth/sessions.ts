// Logged-in sessions, in memory: a board restart logs everyone out, which is acceptable for a
// handful of operators and keeps secrets off the disk. Ids are 256 random bits; each session carries
// its own CSRF token.
import { randomBytes } from 'node:crypto';
import type { Role, User } from './users.js';

export const SESSION_COOKIE = 'hanvisa_session';

export interface Session {
  id: string;
  username: string;
  name: string;
  role: Role;
  orgs: string[] | '*';
  ext?: string;
  csrfToken: string;
  createdAt: number;
  lastSeen: number;
}

/** What the board's page learns about its user (GET /api/session, and the JSON login answer). */
export type SessionView = Pick<Session, 'username' | 'name' | 'role' | 'orgs' | 'ext' | 'csrfToken'>;

export const sessionView = (s: Session): SessionView => ({
  username: s.username,
  name: s.name,
  role: s.role,
  orgs: s.orgs,
  ...(s.ext ? { ext: s.ext } : {}),
  csrfToken: s.csrfToken,
});

export interface SessionOptions {
  /** logged out after this long without a request; default 8 h, an operator's shift */
  idleMs?: number;
  /** logged out this long after login whatever the activity; default 12 h */
  absoluteMs?: number;
  /** oldest sessions are dropped beyond this many; default 10,000 */
  maxSessions?: number;
  clock?: () => number;
}

const HOUR = 60 * 60 * 1000;

export const randomToken = () => randomBytes(32).toString('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly maxSessions: number;
  private readonly clock: () => number;

  constructor(options: SessionOptions = {}) {
    this.idleMs = options.idleMs ?? 8 * HOUR;
    this.absoluteMs = options.absoluteMs ?? 12 * HOUR;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  create(user: Pick<User, 'username' | 'name' | 'role' | 'orgs' | 'ext'>): Session {
    const now = this.clock();
    if (this.sessions.size >= this.maxSessions) this.sweep();
    // Map order is creation order: the first key is the oldest login.
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session: Session = {
      id: randomToken(),
      username: user.username,
      name: user.name,
      role: user.role,
      orgs: user.orgs,
      ...(user.ext ? { ext: user.ext } : {}),
      csrfToken: randomToken(),
      createdAt: now,
      lastSeen: now,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session for this id, its idle timer restarted; expired sessions are removed. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock();
    if (this.expired(session, now)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = now;
    return session;
  }

  /** Whether the session is still live, without counting as activity (a long-lived stream asking must
   * not keep its session alive forever); an expired one is removed. */
  alive(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    if (!this.expired(session, this.clock())) return true;
    this.sessions.delete(id);
    return false;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Ends every session of a user (password changed, user removed). */
  destroyUser(username: string): void {
    for (const [id, s] of this.sessions) if (s.username === username) this.sessions.delete(id);
  }

  sweep(): void {
    const now = this.clock();
    for (const [id, s] of this.sessions) if (this.expired(s, now)) this.sessions.delete(id);
  }

  private expired(s: Session, now: number): boolean {
    return now - s.lastSeen >= this.idleMs || now - s.createdAt >= this.absoluteMs;
  }
}

export interface CookieOptions {
  secure: boolean;
  path?: string;
  /** seconds; omitted means a browser-session cookie, 0 deletes it */
  maxAge?: number;
}

/** A Set-Cookie value: always HttpOnly and SameSite=Strict, Secure when the board is reached over TLS. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Strict'];
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
