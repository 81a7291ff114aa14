import { describe, expect, it } from 'vitest';
import {
  RENEW_AFTER_MS,
  readCookie,
  type SessionOptions,
  SessionStore,
  serializeCookie,
} from './sessions.js';

const HOUR = 3_600_000;
const anna = { username: 'anna', name: 'Anna', role: 'operator' as const, orgs: '*' as const };

const SECRET = 'a shared secret of at least 32 bytes!';

function store(options: Omit<SessionOptions, 'clock'> = {}, clock = { now: Date.UTC(2026, 10, 23, 7, 0) }) {
  return { clock, sessions: new SessionStore({ ...options, clock: () => clock.now }) };
}

describe('sessions', () => {
  it('issues distinct signed ids (a 256-bit nonce under an HMAC-SHA256) and CSRF tokens', () => {
    const { sessions } = store();
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = sessions.create(anna);
      expect(s.id).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(s.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(s.csrfToken).not.toBe(s.id);
      ids.add(s.id);
    }
    expect(ids.size).toBe(200);
  });

  it('ends a session after 8 h without a request, and activity keeps it alive', () => {
    const { clock, sessions } = store();
    const idle = sessions.create(anna);
    const busy = sessions.create(anna);
    const edge = sessions.create(anna);
    clock.now += 4 * HOUR;
    expect(sessions.get(busy.id)).toBe(busy);
    clock.now += 4 * HOUR - 1;
    expect(sessions.get(edge.id)).toBe(edge); // 1 ms short of 8 h idle
    clock.now += 1;
    expect(sessions.get(idle.id)).toBeUndefined(); // 8 h idle
    expect(sessions.get(busy.id)).toBe(busy); // 4 h idle
    expect(sessions.size).toBe(2);
  });

  it('ends a session 12 h after login however active it is', () => {
    const { clock, sessions } = store();
    const s = sessions.create(anna);
    for (let t = 0; t < 12; t++) {
      expect(sessions.get(s.id)).toBe(s);
      clock.now += HOUR - 1;
    }
    clock.now += 12;
    expect(sessions.get(s.id)).toBeUndefined();
  });

  it('forgets destroyed sessions and all sessions of a user', () => {
    const { sessions } = store();
    const a = sessions.create(anna);
    const b = sessions.create(anna);
    const c = sessions.create({ ...anna, username: 'bo' });
    sessions.destroy(a.id);
    expect(sessions.get(a.id)).toBeUndefined();
    sessions.destroyUser('anna');
    expect(sessions.get(b.id)).toBeUndefined();
    expect(sessions.get(c.id)).toBe(c);
    expect(sessions.get(undefined)).toBeUndefined();
    expect(sessions.get('not-a-session')).toBeUndefined();
  });

  // Signed sessions: one the board forgot is read again from its cookie (a fresh object), so the
  // bound is on memory, not on who stays logged in.
  it('holds at most maxSessions, expired ones going first, then the oldest', () => {
    const { clock, sessions } = store({ maxSessions: 3 });
    const old = sessions.create(anna);
    clock.now += 9 * HOUR;
    const a = sessions.create(anna);
    const b = sessions.create(anna);
    const c = sessions.create(anna); // the expired one makes room
    expect(sessions.size).toBe(3);
    expect(sessions.get(old.id)).toBeUndefined();
    const d = sessions.create(anna); // the oldest live one goes
    expect(sessions.size).toBe(3);
    expect([b, c, d].map((s) => sessions.get(s.id))).toEqual([b, c, d]);
    const again = sessions.get(a.id);
    expect(again).not.toBe(a);
    expect(again).toMatchObject({ username: 'anna', csrfToken: a.csrfToken });
    expect(sessions.size).toBe(3);
  });
});

describe('two boards with one secret', () => {
  it("accept each other's sessions with the same CSRF token; another secret or a changed byte is refused", () => {
    const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
    const a = store({ secret: SECRET }, clock).sessions;
    const b = store({ secret: SECRET }, clock).sessions;
    const stranger = store({ secret: `${SECRET}, but another` }, clock).sessions;
    const s = a.create({ ...anna, ext: '4711' });
    expect(b.get(s.id)).toMatchObject({
      username: 'anna',
      role: 'operator',
      ext: '4711',
      csrfToken: s.csrfToken,
    });
    expect(stranger.get(s.id)).toBeUndefined();
    const [body = '', mac = ''] = s.id.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), r: 'admin' }),
    );
    expect(b.get(`${forged.toString('base64url')}.${mac}`)).toBeUndefined();
    expect(() => store({ secret: 'short' })).toThrow(/at least 32 bytes/);
  });

  it('idle expiry holds on a board that never saw the session: the cookie carries when it was last renewed', () => {
    const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
    const a = store({ secret: SECRET }, clock).sessions;
    const b = store({ secret: SECRET }, clock).sessions;
    const s = a.create(anna);
    expect(a.renewal(s.id)).toBeUndefined(); // fresh
    clock.now += 7 * HOUR;
    a.get(s.id);
    const renewed = a.renewal(s.id);
    expect(renewed).toBeDefined();
    clock.now += 2 * HOUR; // 9 h after login, 2 h after the last request
    expect(b.get(s.id)).toBeUndefined(); // the old cookie: 9 h idle as far as it says
    expect(b.get(renewed)).toMatchObject({ csrfToken: s.csrfToken });
    clock.now += 3 * HOUR + RENEW_AFTER_MS; // past 12 h after login
    expect(b.get(renewed)).toBeUndefined();
  });

  it("ends a user's sessions once the users file changes them, on every board that reads it", () => {
    let version = 'v1';
    const options = { secret: SECRET, currentUser: (u: string) => (u === 'anna' ? version : undefined) };
    const { sessions } = store(options);
    const s = sessions.create(anna);
    expect(sessions.get(s.id)).toBe(s);
    version = 'v2'; // role, organisations, extension, name or password changed
    expect(sessions.get(s.id)).toBeUndefined();
    const removed = sessions.create({ ...anna, username: 'gone' }); // not in the users file (any more)
    expect(sessions.get(removed.id)).toBeUndefined();
  });
});

describe('logouts shared between boards (and with a restarted one)', () => {
  it('tells a logout as an id only holders of the secret recognise, refused until the absolute expiry', () => {
    const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
    const a = store({ secret: SECRET }, clock).sessions;
    const restarted = store({ secret: SECRET }, clock).sessions;
    const stranger = store({ secret: `${SECRET}, but another` }, clock).sessions;
    const told: { id: string; until: number }[] = [];
    a.revocations.onLogout((r) => told.push(r));
    const s = a.create(anna);
    clock.now += HOUR;
    expect(restarted.get(s.id)).toMatchObject({ username: 'anna' }); // the copy works before logout
    a.destroy(s.id);
    a.destroy(s.id); // told once
    expect(told).toEqual([{ id: expect.stringMatching(/^[\w-]{43}$/), until: s.createdAt + 12 * HOUR }]);
    const [logout] = told as [{ id: string; until: number }];
    // heard from the broker: the board that had seen the copy refuses it and ends its streams
    restarted.revoke(logout);
    expect(restarted.get(s.id)).toBeUndefined();
    expect(restarted.alive(s.id)).toBe(false);
    // a board with another secret (another installation on the broker) is not affected
    const theirs = stranger.create(anna);
    stranger.revoke(logout);
    expect(stranger.get(theirs.id)).toBe(theirs);
  });

  it('forgets a logout at the absolute expiry, when the cookie is refused anyway (fake clock)', () => {
    const { clock, sessions } = store({ secret: SECRET });
    const s = sessions.create(anna);
    sessions.destroy(s.id);
    const [live] = sessions.liveRevocations();
    expect(live?.until).toBe(s.createdAt + 12 * HOUR);
    clock.now = s.createdAt + 12 * HOUR - 1;
    expect(sessions.sweep()).toEqual([]);
    expect(sessions.get(s.id)).toBeUndefined();
    clock.now += 1;
    expect(sessions.sweep()).toEqual([live?.id]);
    expect(sessions.liveRevocations()).toEqual([]);
    expect(sessions.get(s.id)).toBeUndefined(); // 12 h after login
    // one heard after its expiry (left on a broker no board cleared) is not kept
    expect(sessions.revoke({ id: 'x'.repeat(43), until: clock.now })).toBe(false);
    // one claiming to last for years is kept no longer than a login can live
    sessions.revoke({ id: 'y'.repeat(43), until: Date.UTC(2100, 0, 1) });
    expect(sessions.liveRevocations()).toEqual([{ id: 'y'.repeat(43), until: clock.now + 12 * HOUR }]);
    // nor is the logout of an expired cookie (one left in the browser, at the next login) told anyone
    const told: unknown[] = [];
    sessions.revocations.onLogout((r) => told.push(r));
    sessions.destroy(s.id);
    expect(told).toEqual([]);
    expect(sessions.revocations.has('x'.repeat(43))).toBe(false);
  });

  it("refuses a login it has not seen while it does not know the other boards' logouts (fail safe)", () => {
    const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
    const a = store({ secret: SECRET }, clock).sessions;
    const b = store({ secret: SECRET }, clock).sessions;
    const seen = a.create(anna);
    const unseen = a.create(anna);
    expect(b.get(seen.id)).toBeDefined();
    b.revocationsKnown = false; // a restarted board before the broker's list, or one that lost the broker
    expect(b.get(unseen.id)).toBeUndefined();
    expect(b.get(seen.id)).toMatchObject({ csrfToken: seen.csrfToken }); // already live here: kept
    const fresh = b.create(anna); // made here: nobody else can have logged it out
    expect(b.get(fresh.id)).toBe(fresh);
    b.revocationsKnown = true;
    expect(b.get(unseen.id)).toMatchObject({ csrfToken: unseen.csrfToken });
  });
});

describe('alive (for long-lived streams)', () => {
  it('tells a live session without counting as activity, and forgets an ended one', () => {
    const { clock, sessions } = store();
    const s = sessions.create(anna);
    for (let i = 0; i < 7; i++) {
      clock.now += HOUR;
      expect(sessions.alive(s.id)).toBe(true);
    }
    // asked every hour, it still expires 8 h after the last request
    clock.now += HOUR;
    expect(sessions.alive(s.id)).toBe(false);
    expect(sessions.get(s.id)).toBeUndefined();
    const other = sessions.create(anna);
    sessions.destroy(other.id);
    expect(sessions.alive(other.id)).toBe(false);
    expect(sessions.alive('nope')).toBe(false);
  });
});

describe('cookies', () => {
  it('are HttpOnly, SameSite=Strict, Path=/, Secure only when asked', () => {
    expect(serializeCookie('hanvisa_session', 'abc', { secure: false })).toBe(
      'hanvisa_session=abc; Path=/; HttpOnly; SameSite=Strict',
    );
    expect(serializeCookie('hanvisa_session', '', { secure: true, maxAge: 0 })).toBe(
      'hanvisa_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
    );
  });

  it('are read by exact name', () => {
    const header = 'x_hanvisa_session=evil; hanvisa_session=good; hanvisa_session=second; other';
    expect(readCookie(header, 'hanvisa_session')).toBe('good');
    expect(readCookie(header, 'missing')).toBeUndefined();
    expect(readCookie(undefined, 'hanvisa_session')).toBeUndefined();
  });
});
