// The logouts feature on a session that never connects, with a fake clock: a logout goes to the
// broker under each organisation, is told again on every subscription, one heard ends the login here,
// an expired one is cleared, and until the broker's list is in the board refuses logins it has not seen.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createLogger } from '../../../log/logger.js';
import { encode, type Message } from '../../../protocol/index.js';
import { ContractSession } from '../../../session/contract-session.js';
import { SessionStore } from '../../auth/index.js';
import { DurableWrites } from '../durable-writes.js';
import type { StreamHub } from '../streams.js';
import { revocationsFeature } from './revocations.js';

const HOUR = 3_600_000;
const SECRET = 'a shared secret of at least 32 bytes!';
const anna = { username: 'anna', name: 'Anna', role: 'operator' as const, orgs: '*' as const };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function board(clock: { now: number }, store?: DurableWrites) {
  const session = new ContractSession({
    url: 'mqtt://127.0.0.1:1',
    clientId: 'revocations-test',
    filters: [],
    log: createLogger('revocations-test'),
  });
  const sent: Message[] = [];
  vi.spyOn(session, 'send').mockImplementation(async (message) => {
    sent.push(message as Message);
    return true;
  });
  const sessions = new SessionStore({ secret: SECRET, clock: () => clock.now });
  const streams = { endDeadStreams: vi.fn() } as unknown as StreamHub;
  const feature = revocationsFeature(session, {
    sessions,
    streams,
    orgs: () => ['grastorp', 'essunga'],
    store,
    sweepMs: 60_000,
  });
  const hear = (message: Message) => {
    const { topic, payload } = encode(message);
    session.bus.emit('session-revoked', { topic, payload, retained: true, message } as never);
  };
  return { session, sent, sessions, streams, feature, hear };
}

it('publishes a logout under each organisation, tells it again on every subscription, and clears it at expiry', async () => {
  const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
  const a = board(clock);
  await a.feature.start();
  const login = a.sessions.create(anna);
  a.sessions.destroy(login.id);
  const until = new Date(login.createdAt + 12 * HOUR).toISOString();
  expect(a.sent).toEqual([
    {
      kind: 'session-revoked',
      org: 'grastorp',
      sessionId: expect.stringMatching(/^[\w-]{43}$/),
      body: { v: 1, until },
    },
    {
      kind: 'session-revoked',
      org: 'essunga',
      sessionId: expect.stringMatching(/^[\w-]{43}$/),
      body: { v: 1, until },
    },
  ]);
  const id = (a.sent[0] as { sessionId: string }).sessionId;

  a.session.bus.emit('subscribed', undefined);
  expect(a.sent).toHaveLength(4);

  clock.now = login.createdAt + 12 * HOUR;
  vi.advanceTimersByTime(60_000);
  expect(a.sent.slice(4)).toEqual([
    { kind: 'session-revoked', org: 'grastorp', sessionId: id, body: null },
    { kind: 'session-revoked', org: 'essunga', sessionId: id, body: null },
  ]);
  a.session.bus.emit('subscribed', undefined);
  expect(a.sent).toHaveLength(6); // nothing left to tell
  await a.feature.stop();
});

it('refuses a login logged out elsewhere, closes its streams, and clears one heard after its expiry', async () => {
  const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
  const a = board(clock);
  const b = board(clock);
  await b.feature.start();
  b.session.bus.emit('settled', undefined);
  const login = a.sessions.create(anna);
  expect(b.sessions.get(login.id)).toBeDefined();
  await a.feature.start();
  a.sessions.destroy(login.id);
  const [told] = a.sent;
  if (!told) throw new Error('no logout published');

  b.hear(told);
  expect(b.sessions.get(login.id)).toBeUndefined();
  expect(b.streams.endDeadStreams).toHaveBeenCalledOnce();

  // left on the broker past its expiry (no board was running then): cleared, not kept
  clock.now += 12 * HOUR;
  const c = board(clock);
  await c.feature.start();
  c.hear(told);
  expect(c.sent).toEqual([{ ...told, body: null }]);
  expect(c.sessions.liveRevocations()).toEqual([]);
  await Promise.all([a.feature.stop(), b.feature.stop(), c.feature.stop()]);
});

it("refuses logins it has not seen until the broker's list is in, and again while the broker is away", async () => {
  const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
  const other = board(clock).sessions;
  const b = board(clock);
  let loaded = false;
  void b.feature.loaded.then(() => {
    loaded = true;
  });
  await b.feature.start();
  const seenLater = other.create(anna);
  expect(b.sessions.get(other.create(anna).id)).toBeUndefined();
  b.session.bus.emit('settled', undefined);
  await vi.waitFor(() => expect(loaded).toBe(true));
  expect(b.sessions.get(seenLater.id)).toBeDefined();
  b.session.bus.emit('status', 'offline');
  expect(b.sessions.get(other.create(anna).id)).toBeUndefined();
  expect(b.sessions.get(seenLater.id)).toBeDefined(); // live here before the broker went: kept
  // back, on a site so busy the burst never settles: taken as in 5 s after subscribing
  b.session.bus.emit('status', 'online');
  b.session.bus.emit('subscribed', undefined);
  vi.advanceTimersByTime(4999);
  expect(b.sessions.get(other.create(anna).id)).toBeUndefined();
  vi.advanceTimersByTime(1);
  expect(b.sessions.get(other.create(anna).id)).toBeDefined();
  await b.feature.stop();
});

it('keeps its own logouts in the store (--writes): a restart refuses them before the broker has them', async () => {
  const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
  const file = join(mkdtempSync(join(tmpdir(), 'board-logouts-')), 'store.json');
  const a = board(clock, new DurableWrites(file));
  await a.feature.start();
  const login = a.sessions.create(anna);
  a.sessions.destroy(login.id); // the broker is away: nothing reaches it
  await a.feature.stop();

  const restarted = board(clock, new DurableWrites(file));
  await restarted.feature.start();
  restarted.session.bus.emit('settled', undefined); // a broker that never had it
  expect(restarted.sessions.get(login.id)).toBeUndefined();
  restarted.session.bus.emit('subscribed', undefined);
  expect(restarted.sent.filter((m) => m.body !== null)).toHaveLength(2); // told now, under each org
  await restarted.feature.stop();

  // past the login's expiry the store lets it go
  clock.now += 12 * HOUR;
  const later = board(clock, new DurableWrites(file));
  await later.feature.start();
  expect(new DurableWrites(file).messages()).toEqual([]);
  await later.feature.stop();
});
