import { describe, expect, it } from 'vitest';
import { readCookie, SessionStore, serializeCookie } from './sessions.js';

const HOUR = 3_600_000;
const anna = { username: 'anna', name: 'Anna', role: 'operator' as const, orgs: '*' as const };

function store(options: { maxSessions?: number } = {}) {
  const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
  return { clock, sessions: new SessionStore({ ...options, clock: () => clock.now }) };
}

describe('sessions', () => {
  it('issues distinct 256-bit ids and CSRF tokens', () => {
    const { sessions } = store();
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = sessions.create(anna);
      expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
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
    expect([a, b, c, d].map((s) => sessions.get(s.id) !== undefined)).toEqual([false, true, true, true]);
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
