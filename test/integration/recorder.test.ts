// The recorder through a real Mosquitto into a real store (SQLite and PostgreSQL): every change stored
// once however often the broker re-delivers it, bad messages refused and counted, and a restart or a
// crash leaving a visible gap rather than invented data.
import { join } from 'node:path';
import type mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type ExtCallEvent, encode, type Message, type Presence } from '../../protocol/index.js';
import { publishMessage } from '../../switchboard/publish.js';
import { dayKey } from '../../switchboard/recorder/figures/periods.js';
import { startRecorder } from '../../switchboard/recorder/recorder.js';
import { statsReport } from '../../switchboard/recorder/stats.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
import type { Mosquitto } from '../support/mosquitto.js';
import type { Postgres } from '../support/postgres.js';
import { type RecorderFixture, startRecorderFixture } from '../support/recorder-fixture.js';

const ORG = 'recorded';

function presence(seq: number, status: 'available' | 'away'): Presence {
  const at = new Date(Date.UTC(2026, 11, 2, 9, 0, seq)).toISOString();
  return {
    v: 1,
    status,
    reason: status === 'away' ? 'lunch' : null,
    since: at,
    until: null,
    alt: null,
    seq,
    by: { kind: 'desk', id: 'desk-1' },
    at,
  };
}

/** What the statistics page would show for today, as an operator sees it. */
function todaysReport(storage: Storage, org: string) {
  const today = dayKey(Date.now(), 'Europe/Stockholm');
  return statsReport(storage, {
    org,
    from: today,
    to: today,
    period: 'day',
    people: true,
    timeZone: 'Europe/Stockholm',
    now: Date.now(),
    thresholdSeconds: 20,
    heartbeatMs: 30_000,
  });
}

let broker: Mosquitto;
let postgres: Postgres;
let dir: string;
let publisher: MqttClient;
let fixture: RecorderFixture | undefined;
beforeAll(async () => {
  fixture = await startRecorderFixture('hanvisa-recorder-');
  ({ broker, postgres, dir, publisher } = fixture);
});
afterAll(() => fixture?.dispose());

let n = 0;
describe.each([
  ['sqlite', async () => join(dir, `rec-${++n}.db`)],
  ['postgres', async () => postgres.createDatabase(`rec_${++n}`)],
])('recorder into %s', (_name, location) => {
  const presences = async (storage: Storage, org: string) =>
    (await storage.events(org, 0, Number.MAX_SAFE_INTEGER)).filter((e) => e.kind === 'presence');

  test('stores each change once, refuses and counts bad messages', async () => {
    const org = `${ORG}-${n}`;
    const storage = await openStorage(await location());
    const recorder = await startRecorder({ brokerUrl: broker.url, storage, orgs: [org], batchMs: 20 });
    await recorder.ready;
    const first = { kind: 'presence' as const, org, ext: '2001', body: presence(1, 'away') };
    await publishMessage(publisher, first);
    // the same message again, as QoS 1 may redeliver it, and once more as a retained re-delivery
    await publishMessage(publisher, first);
    const { topic, payload } = encode(first);
    await publisher.publishAsync(topic, payload, {
      qos: 1,
      retain: false,
      dup: true,
    } as mqtt.IClientPublishOptions);
    await publishMessage(publisher, { kind: 'presence', org, ext: '2001', body: presence(2, 'available') });
    await publisher.publishAsync(`hanvisa/v1/${org}/presence/2001`, '{"v":1,"status":"maybe"}', { qos: 1 });
    await publisher.publishAsync(`hanvisa/v1/${org}/queue/q1`, 'not json', { qos: 1 });
    await vi.waitFor(() => expect(recorder.rejections.total).toBe(2), { timeout: 15_000 });
    await vi.waitFor(async () => expect((await presences(storage, org)).length).toBe(2), { timeout: 15_000 });
    expect(recorder.rejections.snapshot().byReason).toEqual({ schema: 1, json: 1 });
    expect(recorder.stats().repeated).toBeGreaterThanOrEqual(2);
    expect((await presences(storage, org)).map((e) => (e.body as Presence).seq)).toEqual([1, 2]);
    await recorder.close();
    await storage.close();
  });

  test("records the phone bridge's call events once each, a QoS 1 repeat included", async () => {
    const org = `${ORG}-${n}`;
    const storage = await openStorage(await location());
    const recorder = await startRecorder({ brokerUrl: broker.url, storage, orgs: [org], batchMs: 20 });
    await recorder.ready;
    const call = (id: string, event: 'entered' | 'answered', at: string) => ({
      kind: 'call-event' as const,
      org,
      queueId: 'vaxel',
      body: { v: 1 as const, id, call: 'c-1', event, at, ...(event === 'answered' ? { ext: '2001' } : {}) },
    });
    await publishMessage(publisher, call('e-1', 'entered', '2026-11-23T09:00:00.000Z'));
    await publishMessage(publisher, call('e-2', 'answered', '2026-11-23T09:00:12.000Z'));
    await publishMessage(publisher, call('e-2', 'answered', '2026-11-23T09:00:12.000Z'));
    const calls = async () =>
      (await storage.events(org, 0, Number.MAX_SAFE_INTEGER)).filter((e) => e.kind === 'call');
    await vi.waitFor(async () => expect((await calls()).length).toBe(2), { timeout: 15_000 });
    expect((await calls()).map((e) => e.body)).toEqual([
      { callId: 'c-1', phase: 'entered', at: '2026-11-23T09:00:00.000Z', queue: 'vaxel' },
      { callId: 'c-1', phase: 'answered', at: '2026-11-23T09:00:12.000Z', queue: 'vaxel', ext: '2001' },
    ]);
    await recorder.close();
    await storage.close();
  });

  test('calls to people (extcall/{ext}) become the figures: unreferred, within 4 rings, transferred correctly', async () => {
    const org = `${ORG}-${n}`;
    const storage = await openStorage(await location());
    const recorder = await startRecorder({ brokerUrl: broker.url, storage, orgs: [org], batchMs: 20 });
    await recorder.ready;
    const person = { v: 1 as const, name: 'Anna Ek', department: 'bygg' };
    await publishMessage(publisher, { kind: 'directory-person', org, ext: '2001', body: person });
    const at = () => new Date().toISOString();
    await publishMessage(publisher, {
      kind: 'presence',
      org,
      ext: '2001',
      body: { ...presence(1, 'available'), since: at(), at: at() },
    });
    const step = (id: string, call: string, body: Partial<ExtCallEvent> & Pick<ExtCallEvent, 'event'>) => ({
      kind: 'ext-call' as const,
      org,
      ext: '2001',
      body: { v: 1 as const, id, call, at: at(), ...body },
    });
    const steps = [
      step('a1', 'c-1', { event: 'routed', to: 'desk', cause: 'available', target: '2001' }),
      step('a2', 'c-1', { event: 'answered', target: '2001', ringSeconds: 7.5 }),
      step('b1', 'c-2', { event: 'routed', to: 'desk', cause: 'available', target: '2001' }),
      step('b2', 'c-2', { event: 'unanswered', target: '2001', ringSeconds: 20 }),
      step('t1', 'c-3', { event: 'routed', to: 'desk', cause: 'available', target: '2001', transfer: true }),
      step('t2', 'c-3', { event: 'answered', target: '2001', ringSeconds: 21 }),
    ];
    for (const s of steps) await publishMessage(publisher, s);
    // QoS 1 may deliver a step twice: it is stored and counted once
    const { topic, payload } = encode(steps[3] as Message);
    await publisher.publishAsync(topic, payload, { qos: 1, dup: true } as mqtt.IClientPublishOptions);
    const stored = async () =>
      (await storage.events(org, 0, Number.MAX_SAFE_INTEGER)).filter((e) => e.kind === 'ext-call');
    await vi.waitFor(async () => expect((await stored()).length).toBe(6), { timeout: 15_000 });
    const report = await todaysReport(storage, org);
    expect(report.departments.find((d) => d.department === 'bygg')?.overall).toMatchObject({
      unanswered: 1,
      unreferred: 1,
      ringAnswered: 2,
      answeredInRings: 1,
      transfers: 1,
      transferredCorrectly: 1,
      transferredCorrectlyPct: 100,
    });
    expect(report.callEvents).toBe(true);
    await recorder.close();
    await storage.close();
  });

  test('records each phone message on its own topic and its clear, naming the message in both', async () => {
    const org = `${ORG}-${n}`;
    const storage = await openStorage(await location());
    const recorder = await startRecorder({ brokerUrl: broker.url, storage, orgs: [org], batchMs: 20 });
    await recorder.ready;
    const message = { id: 'm-1', at: '2026-11-23T09:00:00.000Z', text: 'Ring Eva', callbackBy: null };
    await publishMessage(publisher, {
      kind: 'mwi-message',
      org,
      ext: '2001',
      messageId: 'm-1',
      body: { v: 1, message },
    });
    const topic = `hanvisa/v1/${org}/mwi/2001/msg/m-1`;
    const events = async () =>
      (await storage.events(org, 0, Number.MAX_SAFE_INTEGER)).filter((e) => e.kind === 'mwi-message');
    await vi.waitFor(async () => expect((await events()).length).toBe(1), { timeout: 15_000 });
    // handled: the board clears the retained topic (an empty payload)
    await publisher.publishAsync(topic, '', { qos: 1, retain: true });
    await vi.waitFor(async () => expect((await events()).length).toBe(2), { timeout: 15_000 });
    expect((await events()).map((e) => [e.subject, e.body])).toEqual([
      ['2001/m-1', { v: 1, message }],
      ['2001/m-1', null],
    ]);
    await recorder.close();
    await storage.close();
  });

  test('a restart is a gap in the log; the retained state is recorded again when recording resumes', async () => {
    const where = await location();
    const org = `${ORG}-${n}`;
    let storage = await openStorage(where);
    const one = await startRecorder({ brokerUrl: broker.url, storage, orgs: [org], batchMs: 20 });
    await one.ready;
    await publishMessage(publisher, { kind: 'presence', org, ext: '2002', body: presence(10, 'away') });
    await vi.waitFor(
      async () => expect((await presences(storage, org)).some((e) => e.subject === '2002')).toBe(true),
      {
        timeout: 15_000,
      },
    );
    await one.close();
    await storage.close();
    // while nobody records, the person comes back
    await publishMessage(publisher, { kind: 'presence', org, ext: '2002', body: presence(11, 'available') });
    storage = await openStorage(where);
    const two = await startRecorder({ brokerUrl: broker.url, storage, orgs: [org], batchMs: 20 });
    await two.ready;
    await vi.waitFor(
      async () => expect((await presences(storage, org)).filter((e) => e.subject === '2002').length).toBe(2),
      {
        timeout: 15_000,
      },
    );
    const log = (await storage.events(org, 0, Number.MAX_SAFE_INTEGER)).map((e) =>
      e.kind === 'recorder'
        ? (e.body as { phase: string }).phase
        : e.kind === 'presence'
          ? `seq ${(e.body as Presence).seq}`
          : e.kind,
    );
    const relevant = log.filter((x) => x === 'up' || x === 'down' || x === 'seq 10' || x === 'seq 11');
    expect(relevant.slice(-5)).toEqual(['up', 'seq 10', 'down', 'up', 'seq 11']);
    const sessions = await storage.sessions();
    expect(sessions.filter((s) => s.stoppedAt !== null).length).toBeGreaterThanOrEqual(1);
    await two.close();
    await storage.close();
  });

  test('two recorders on one store (a rolling restart): no gap, and neither closes the other', async () => {
    const where = await location();
    const org = `${ORG}-${n}`;
    const [storeOne, storeTwo] = [await openStorage(where), await openStorage(where)];
    const one = await startRecorder({ brokerUrl: broker.url, storage: storeOne, orgs: [org], batchMs: 20 });
    await one.ready;
    await publishMessage(publisher, { kind: 'presence', org, ext: '2004', body: presence(30, 'away') });
    await vi.waitFor(async () => expect((await presences(storeOne, org)).length).toBe(1), {
      timeout: 15_000,
    });
    const two = await startRecorder({ brokerUrl: broker.url, storage: storeTwo, orgs: [org], batchMs: 20 });
    await two.ready;
    expect((await storeTwo.sessions()).find((s) => s.id === one.session)?.stoppedAt).toBeNull();
    await one.close();
    await storeOne.close();
    await publishMessage(publisher, { kind: 'presence', org, ext: '2004', body: presence(31, 'available') });
    await vi.waitFor(
      async () =>
        expect((await presences(storeTwo, org)).some((e) => (e.body as Presence).seq === 31)).toBe(true),
      { timeout: 15_000 },
    );
    const report = await todaysReport(storeTwo, org);
    expect(report.gaps).toEqual([]);
    expect(report.overall.unrecordedMinutes).toBe(0);
    // one referral, though both recorders stored the retained one
    expect(report.overall.referrals).toBe(1);
    await two.close();
    await storeTwo.close();
  });

  test("two recorders of different organisations on one store: one's stop is a gap for its own only", async () => {
    const where = await location();
    const [ours, theirs] = [`${ORG}-${n}-ours`, `${ORG}-${n}-theirs`];
    const [storeOne, storeTwo] = [await openStorage(where), await openStorage(where)];
    const one = await startRecorder({ brokerUrl: broker.url, storage: storeOne, orgs: [ours], batchMs: 20 });
    const two = await startRecorder({
      brokerUrl: broker.url,
      storage: storeTwo,
      orgs: [theirs],
      batchMs: 20,
    });
    await Promise.all([one.ready, two.ready]);
    await one.close();
    await storeOne.close();
    expect((await todaysReport(storeTwo, ours)).gaps).toEqual([{ from: expect.any(Number), to: null }]);
    expect((await todaysReport(storeTwo, theirs)).gaps).toEqual([]);
    await two.close();
    await storeTwo.close();
  });

  test('a crashed recorder: the next one closes its session at the last sign of life', async () => {
    const storage = await openStorage(await location());
    await storage.upsertSession({
      id: 'crashed',
      startedAt: 1_000_000,
      lastSeen: 2_000_000,
      stoppedAt: null,
    });
    const recorder = await startRecorder({ brokerUrl: broker.url, storage, orgs: [ORG] });
    const down = (await storage.events(ORG, 0, Number.MAX_SAFE_INTEGER)).find(
      (e) => e.kind === 'recorder' && (e.body as { session: string }).session === 'crashed',
    );
    expect(down).toMatchObject({ at: 2_000_000, body: { phase: 'down' } });
    expect((await storage.sessions()).find((s) => s.id === 'crashed')?.stoppedAt).toBe(2_000_000);
    await recorder.close();
    await storage.close();
  });
});

test('the PostgreSQL server restarting loses nothing: the batch is kept and appended once it is back', async () => {
  const org = 'recorded-pg-restart';
  const storage = await openStorage(await postgres.createDatabase('rec_restart'));
  const recorder = await startRecorder({ brokerUrl: broker.url, storage, orgs: [org], batchMs: 20 });
  await recorder.ready;
  const stored = async () =>
    (await storage.events(org, 0, Number.MAX_SAFE_INTEGER)).filter((e) => e.kind === 'presence').length;
  await publishMessage(publisher, { kind: 'presence', org, ext: '2003', body: presence(20, 'away') });
  await vi.waitFor(async () => expect(await stored()).toBe(1), { timeout: 15_000 });
  await postgres.stop();
  await publishMessage(publisher, { kind: 'presence', org, ext: '2003', body: presence(21, 'available') });
  // the failed append keeps the change (a store error can also come first from the heartbeat or the
  // rollup, before the change has arrived: wait for both)
  await vi.waitFor(
    () => {
      expect(recorder.stats().storeErrors).toBeGreaterThan(0);
      expect(recorder.stats().pending).toBe(1);
    },
    { timeout: 15_000 },
  );
  await postgres.start();
  await vi.waitFor(async () => expect(await stored()).toBe(2), { timeout: 30_000 });
  expect(recorder.stats().pending).toBe(0);
  await recorder.close();
  await storage.close();
});
