// The calendar bridge end to end: real Mosquitto, real Radicale, the contract on the wire. A person's
// "SAM:" meeting and the lunch right after it become one referral; a reopen by the desk key racing a
// change in the calendar wins; a feed that fails shows in the status and changes nothing; after a
// reconnect the bridge says its referrals again; the next absence of the working day goes out on
// calendar/{ext} and moves on once it starts.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CalendarStatus, decode, encode, type Presence } from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import { type CalendarBridge, startCalendarBridge } from '../../switchboard/calendar/bridge.js';
import { calDavSource } from '../../switchboard/calendar/caldav-source.js';
import { prefixRules } from '../../switchboard/calendar/prefixes.js';
import { vcalendar, vevent } from '../support/ics.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { type Radicale, startRadicale } from '../support/radicale.js';

const ORG = 'arjeplog';
const MIN = 60_000;
const ceilMinute = (ms: number) => new Date(Math.ceil(ms / MIN) * MIN).toISOString();
// The bridge's clock runs from a Wednesday morning in Stockholm (timers are real), so return times do
// not depend on when the test runs: an entry ending after working hours returns the next morning.
const START = Date.parse('2026-12-02T09:00:00.000Z');
const offset = START - Date.now();
const clock: Clock = { ...systemClock, now: () => Date.now() + offset };

describe('calendar bridge (Mosquitto + Radicale)', () => {
  let broker: Mosquitto;
  let radicale: Radicale;
  let observer: MqttClient;
  const seen = new Map<string, Presence[]>();
  const statuses = new Map<string, CalendarStatus>();
  const bridges: CalendarBridge[] = [];

  beforeAll(async () => {
    [broker, radicale] = await Promise.all([startMosquitto(), startRadicale()]);
    observer = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok && r.message.kind === 'presence' && r.message.body)
        seen.set(r.message.ext, [...(seen.get(r.message.ext) ?? []), r.message.body]);
      if (r.ok && r.message.kind === 'calendar-status' && r.message.body)
        statuses.set(r.message.ext, r.message.body);
    });
    await observer.subscribeAsync([`hanvisa/v1/${ORG}/presence/+`, `hanvisa/v1/${ORG}/calendar/+`], {
      qos: 1,
    });
  }, 60_000);
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop();
  });
  afterAll(async () => {
    await observer?.endAsync();
    await Promise.all([broker?.dispose(), radicale?.dispose()]);
  });

  const bridgeFor = async (ext: string, collection: string, password = radicale.password) => {
    const bridge = startCalendarBridge({
      brokerUrl: broker.url,
      org: ORG,
      people: [{ ext, source: calDavSource({ url: collection, username: radicale.username, password }) }],
      rules: prefixRules(['sv']),
      gapMinutes: 0,
      privateReason: 'out',
      // the test polls by hand
      pollMs: 3600_000,
      settleMs: 200,
      clock,
    });
    bridges.push(bridge);
    await bridge.ready;
    return bridge;
  };
  const last = (ext: string) => seen.get(ext)?.at(-1);
  /** A bridge for `ext`, once it referred the trip in the person's calendar (under way for an hour). */
  const onTrip = async (ext: string, summary: string) => {
    const now = Math.floor(clock.now() / 1000) * 1000; // iCalendar times are whole seconds
    const cal = await radicale.createCalendar(`ext${ext}`);
    await radicale.putEvent(
      cal,
      'trip',
      vcalendar(vevent(`t${ext}`, summary, now - 5 * MIN, now + 60 * MIN)),
    );
    const bridge = await bridgeFor(ext, cal);
    await vi.waitFor(() => expect(last(ext)).toMatchObject({ reason: 'trip' }), { timeout: 15_000 });
    return bridge;
  };

  it('refers a meeting and the lunch right after it as one absence, and a key reopen wins over a change', async () => {
    const now = Math.floor(clock.now() / 1000) * 1000; // iCalendar times are whole seconds
    const cal = await radicale.createCalendar('ext2101');
    const meeting = await radicale.putEvent(
      cal,
      'meeting',
      vcalendar(vevent('m1', 'SAM: Budget', now - 10 * MIN, now + 20 * MIN)),
    );
    await radicale.putEvent(
      cal,
      'lunch',
      vcalendar(vevent('l1', 'Lunch: med kollegor', now + 20 * MIN, now + 50 * MIN)),
    );
    await radicale.putEvent(cal, 'gym', vcalendar(vevent('g1', 'Gym', now + 50 * MIN, now + 90 * MIN)));
    const bridge = await bridgeFor('2101', cal);
    await vi.waitFor(
      () =>
        expect(last('2101')).toMatchObject({
          status: 'away',
          reason: 'meeting',
          until: ceilMinute(now + 50 * MIN), // the lunch's end: one total absence; the gym is no referral
          by: { kind: 'calendar' },
        }),
      { timeout: 15_000 },
    );
    const calendarSeq = last('2101')?.seq ?? -1;

    // The person comes back early and presses Open; at the same time the meeting is moved to run longer.
    const reopen: Presence = {
      v: 1,
      status: 'available',
      reason: null,
      since: new Date(clock.now()).toISOString(),
      until: null,
      alt: null,
      seq: calendarSeq + 1,
      by: { kind: 'desk', id: 'desk-2101' },
      at: new Date(clock.now()).toISOString(),
    };
    const { topic, payload, retain, qos } = encode({ kind: 'presence', org: ORG, ext: '2101', body: reopen });
    await Promise.all([
      observer.publishAsync(topic, payload, { retain, qos }),
      radicale
        .putEvent(cal, 'meeting', vcalendar(vevent('m1', 'SAM: Budget', now - 10 * MIN, now + 40 * MIN)))
        .then(() => bridge.poll()),
    ]);
    await vi.waitFor(() => expect(bridge.presence('2101')).toMatchObject({ by: { kind: 'desk' } }), {
      timeout: 15_000,
    });
    await bridge.poll();
    // the key's reopen is what everyone keeps, and the calendar did not write over it
    expect(bridge.presence('2101')).toEqual(reopen);
    expect(seen.get('2101')?.filter((p) => p.by.kind === 'calendar' && p.seq > reopen.seq)).toEqual([]);
    expect(meeting).toContain('meeting.ics');
  });

  it('reopens the phone by itself when its entry ends, on the wake timer', async () => {
    const now = Math.ceil(clock.now() / 1000) * 1000;
    const cal = await radicale.createCalendar('ext2103');
    await radicale.putEvent(cal, 'out', vcalendar(vevent('o1', 'UTE: posten', now - 5 * MIN, now + 3000)));
    await bridgeFor('2103', cal);
    await vi.waitFor(() => expect(last('2103')).toMatchObject({ status: 'away', reason: 'out' }), {
      timeout: 15_000,
    });
    // no poll: the timer set for the entry's end does it
    await vi.waitFor(
      () => expect(last('2103')).toMatchObject({ status: 'available', by: { kind: 'calendar' } }),
      {
        timeout: 15_000,
      },
    );
  });

  it("publishes the person's next absence within the working day, and the one after once it starts", async () => {
    const now = Math.ceil(clock.now() / 1000) * 1000;
    const cal = await radicale.createCalendar('ext2105');
    await radicale.putEvent(
      cal,
      'board',
      vcalendar(vevent('b1', 'SAM: Styrelse', now + 60 * MIN, now + 90 * MIN)),
    );
    await radicale.putEvent(
      cal,
      'lunch',
      vcalendar(vevent('l1', 'Lunch: med kollegor', now + 120 * MIN, now + 150 * MIN)),
    );
    // tomorrow: not within this working day
    await radicale.putEvent(
      cal,
      'tomorrow',
      vcalendar(vevent('t1', 'SAM: Imorgon', now + 24 * 60 * MIN, now + 25 * 60 * MIN)),
    );
    const bridge = await bridgeFor('2105', cal);
    const meeting = {
      from: new Date(now + 60 * MIN).toISOString(),
      to: ceilMinute(now + 90 * MIN),
      reason: 'meeting',
    };
    await vi.waitFor(() => expect(statuses.get('2105')).toMatchObject({ ok: true, next: meeting }), {
      timeout: 15_000,
    });
    expect(bridge.status('2105')?.next).toEqual(meeting);

    // the meeting is moved to start in two seconds: next is it, and once it starts (the wake timer,
    // no poll) the lunch after it
    const soon = Math.ceil(clock.now() / 1000) * 1000 + 2000;
    await radicale.putEvent(cal, 'board', vcalendar(vevent('b1', 'SAM: Styrelse', soon, soon + 30 * MIN)));
    await bridge.poll();
    expect(statuses.get('2105')?.next).toMatchObject({
      from: new Date(soon).toISOString(),
      reason: 'meeting',
    });
    await vi.waitFor(
      () =>
        expect(statuses.get('2105')?.next).toEqual({
          from: new Date(now + 120 * MIN).toISOString(),
          to: ceilMinute(now + 150 * MIN),
          reason: 'lunch',
        }),
      { timeout: 15_000 },
    );
    // and the meeting itself is the referral now
    await vi.waitFor(() => expect(last('2105')).toMatchObject({ status: 'away', reason: 'meeting' }), {
      timeout: 15_000,
    });
  });

  it('a failing feed shows in the status and the last good schedule stays', async () => {
    const bridge = await onTrip('2102', 'TJÄ: Luleå');
    const before = seen.get('2102')?.length;
    expect(bridge.status('2102')).toMatchObject({ ok: true, failures: 0 });
    await vi.waitFor(() => expect(statuses.get('2102')).toMatchObject({ ok: true }), { timeout: 15_000 });

    // the server goes away: the status says so, nothing is published, the referral stays
    await radicale.dispose();
    await bridge.poll();
    expect(bridge.status('2102')).toMatchObject({ ok: false, failures: 1 });
    expect(bridge.status('2102')?.error).toMatch(/cannot reach CalDAV server/);
    expect(seen.get('2102')?.length).toBe(before);
    expect(bridge.presence('2102')).toMatchObject({ status: 'away', reason: 'trip' });
    // and the board learns it from calendar/{ext}, with when the calendar was last read
    await vi.waitFor(() => expect(statuses.get('2102')).toMatchObject({ ok: false, failures: 1 }), {
      timeout: 15_000,
    });
    expect(statuses.get('2102')?.lastGood).toBe(bridge.status('2102')?.lastGood);
    radicale = await startRadicale(); // for afterAll
  });

  it('says its referral again after a reconnect, so a broker that lost its store has it back', async () => {
    const bridge = await onTrip('2104', 'TJÄ: Kiruna');
    const written = bridge.presence('2104');

    // the broker keeps no store here: it comes back without the retained referral
    await broker.stop();
    await broker.start();
    const reader = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    const heard: Presence[] = [];
    reader.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok && r.message.kind === 'presence' && r.message.body) heard.push(r.message.body);
    });
    await reader.subscribeAsync(`hanvisa/v1/${ORG}/presence/2104`, { qos: 1 });
    await vi.waitFor(() => expect(heard.at(-1)).toEqual(written), { timeout: 15_000 });
    await reader.endAsync();
  });
});
