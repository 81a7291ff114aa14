import { describe, expect, test } from 'vitest';
import { DEFAULT_REASONS } from '../../../protocol/index.js';
import {
  available,
  away,
  recorded,
  SCENARIO_DAY,
  SCENARIO_ORG,
  scenarioEvents,
} from '../../../test/fixtures/recorder-scenario.js';
import { dayStart, nextDay } from './periods.js';
import { buildReport } from './report.js';
import { initialState } from './state.js';
import { Timeline } from './timeline.js';

const TZ = 'Europe/Stockholm';
const dayEnd = dayStart(nextDay(SCENARIO_DAY), TZ);

function run(events = scenarioEvents(), until = dayEnd) {
  const timeline = new Timeline(initialState(SCENARIO_ORG, dayStart(SCENARIO_DAY, TZ)));
  for (const e of events) timeline.apply(e);
  timeline.flush(until);
  return timeline;
}

const row = (t: Timeline, department: string, ext = '') => t.rows.get(`${SCENARIO_DAY}|${department}|${ext}`);

describe('the seeded day, against figures worked out by hand', () => {
  const t = run();

  test('phone hours with nobody available, and the alarm history', () => {
    // bygg (09-12 local = 08-11Z): both away 09:30-10:00Z and 10:40-11:00Z (phone hours end) = 50 min
    expect(row(t, 'bygg')?.unstaffed_s).toBe(50 * 60);
    expect(row(t, 'bygg')?.alarms).toBe(2);
    // soc must always answer (no hours): Cia away 11:00-12:00Z
    expect(row(t, 'soc')?.unstaffed_s).toBe(60 * 60);
    expect(
      [...t.alarms.values()].map((a) => [
        a.department,
        a.kind,
        new Date(a.startedAt).toISOString(),
        (a.endedAt - a.startedAt) / 60_000,
      ]),
    ).toEqual([
      ['bygg', 'all-away', '2026-12-02T09:30:00.000Z', 30],
      ['bygg', 'all-away', '2026-12-02T10:40:00.000Z', 20],
      ['soc', 'must-answer', '2026-12-02T11:00:00.000Z', 60],
    ]);
  });

  test('a listed holiday has no phone hours and no working hours: nothing unstaffed, no desk offline', () => {
    // the same Wednesday as one of the org's holidays (directory/org's resolved list)
    const holiday = run(
      scenarioEvents().map((e) =>
        e.kind === 'directory-org' ? { ...e, body: { ...(e.body as object), holidays: [SCENARIO_DAY] } } : e,
      ),
    );
    expect(row(holiday, 'bygg')?.unstaffed_s).toBe(0);
    expect(row(holiday, 'bygg')?.alarms).toBe(0);
    expect(row(holiday, 'bygg', '2001')?.desk_offline_s).toBe(0);
    // a must-answer function answers on holidays too
    expect(row(holiday, 'soc')?.unstaffed_s).toBe(60 * 60);
  });

  test('personal phone hours (SAMSA §7): someone available outside their own hours does not staff it', () => {
    const at = (time: string) => `${SCENARIO_DAY}T${time}.000Z`;
    const own = (from: string, to: string) => [{ days: [1, 2, 3, 4, 5], from, to }];
    const available = (ext: string) =>
      recorded(
        'presence',
        ext,
        {
          v: 1,
          status: 'available',
          reason: null,
          since: null,
          until: null,
          alt: null,
          seq: 1,
          by: { kind: 'desk', id: ext },
          at: at('06:00:00'),
        },
        at('06:00:00'),
      );
    const events = [
      recorded(
        'directory-department',
        'ek',
        { v: 1, name: 'Ekonomi', phoneHours: own('08:00', '16:00'), mustAnswer: false },
        at('05:00:00'),
      ),
      // Eva answers 08-11 local (07-10Z), Filip 13-16 local (12-15Z): 11-13 local nobody does
      recorded(
        'directory-person',
        '2201',
        { v: 1, name: 'Eva', department: 'ek', phoneHours: own('08:00', '11:00') },
        at('05:00:00'),
      ),
      recorded(
        'directory-person',
        '2202',
        { v: 1, name: 'Filip', department: 'ek', phoneHours: own('13:00', '16:00') },
        at('05:00:00'),
      ),
      available('2201'),
      available('2202'),
    ];
    const t = run(events);
    expect(row(t, 'ek')?.unstaffed_s).toBe(2 * 3600);
    expect(row(t, 'ek')?.alarms).toBe(1);
    // without hours of her own, Eva staffs it all day
    const plain = run([
      ...events.slice(0, 1),
      recorded('directory-person', '2201', { v: 1, name: 'Eva', department: 'ek' }, at('05:00:00')),
      ...events.slice(2),
    ]);
    expect(row(plain, 'ek')?.unstaffed_s ?? 0).toBe(0);
  });

  test('referrals by reason, overdue and by how much, reopened early', () => {
    const bygg = row(t, 'bygg');
    expect(bygg?.referrals).toBe(4);
    expect(bygg?.reasons).toEqual({ meeting: 2, lunch: 2 });
    // Bo back at 10:00Z from a meeting until 09:00Z: one hour overdue
    expect([bygg?.overdue, bygg?.overdue_s, bygg?.overdue_max_s]).toEqual([1, 3600, 3600]);
    expect(row(t, 'bygg', '2002')?.overdue).toBe(1);
    // Anna back at 10:05Z from lunch until 10:15Z; at 11:20Z exactly on time (neither)
    expect(row(t, 'bygg', '2001')?.reopened_early).toBe(1);
    expect(row(t, 'soc')?.reasons).toEqual({ sick: 1 });
  });

  test('desks offline during working hours (08-17 local)', () => {
    // 13:00-14:30Z, then 15:30Z until 16:00Z (17:00 local) = 90 + 30 min
    expect(row(t, 'bygg', '2001')?.desk_offline_s).toBe(120 * 60);
    expect(row(t, 'bygg')?.desk_offline_s).toBe(120 * 60);
  });

  test('messages taken, handled, past their deadline, time to handle', () => {
    const bo = row(t, 'bygg', '2002');
    expect([bo?.messages_taken, bo?.messages_handled, bo?.messages_late]).toEqual([2, 1, 1]);
    expect([bo?.handle_s, bo?.handle_n]).toEqual([3600, 1]);
  });

  test('an old single mwi value: gone from it is handled, unless a board moved it to its own topic', () => {
    const msg = (id: string, at: string) => ({
      id,
      at: `${SCENARIO_DAY}T${at}.000Z`,
      text: 'ring',
      callbackBy: null,
    });
    const at = (time: string) => `${SCENARIO_DAY}T${time}.000Z`;
    const t = run([
      recorded('directory-person', '2002', { v: 1, name: 'Bo', department: 'bygg' }, at('07:00:00')),
      recorded(
        'mwi',
        '2002',
        { v: 1, messages: [msg('a', '08:00:00'), msg('b', '08:00:00')] },
        at('08:00:00'),
      ),
      // an old board handled a: gone from the old value
      recorded('mwi', '2002', { v: 1, messages: [msg('b', '08:00:00')] }, at('08:30:00')),
      // a new board converts b to its own topic, then clears the old value: b is still waiting
      recorded('mwi-message', '2002/b', { v: 1, message: msg('b', '08:00:00') }, at('09:00:00')),
      recorded('mwi', '2002', null, at('09:00:01')),
      recorded('mwi-message', '2002/b', null, at('10:00:00')),
    ]);
    const bo = row(t, 'bygg', '2002');
    expect([bo?.messages_taken, bo?.messages_handled]).toEqual([2, 2]);
    // a after 30 min, b after 2 h (its conversion is no new message and no handling)
    expect([bo?.handle_s, bo?.handle_n]).toEqual([30 * 60 + 2 * 3600, 2]);
  });

  test('queue calls, answered within 20 s, abandoned, waits; unreferred calls', () => {
    const report = buildReport({
      org: SCENARIO_ORG,
      from: SCENARIO_DAY,
      to: SCENARIO_DAY,
      period: 'day',
      thresholdSeconds: 20,
      rows: [...t.rows.values()],
      alarms: [...t.alarms.values()],
      gaps: [],
      people: true,
    });
    const bygg = report.departments.find((d) => d.department === 'bygg')?.figures[0];
    expect(bygg).toMatchObject({
      calls: 3,
      answered: 2,
      answeredWithin: 1,
      abandoned: 1,
      waitP50: 40,
      waitP90: 60,
    });
    expect(bygg).toMatchObject({ queuePeak: 2, queueLongestSeconds: 30, unanswered: 2, unreferred: 1 });
    expect(report.total[0]).toMatchObject({
      unstaffedMinutes: 110,
      alarms: 3,
      referrals: 5,
      handleMinutesAvg: 60,
    });
    expect(report.callEvents).toBe(true);
    expect(report.people?.find((p) => p.ext === '2001')?.figures).toMatchObject({
      unreferred: 1,
      reopenedEarly: 1,
      deskOfflineMinutes: 120,
    });
  });

  test('calls to people: answered within 4 rings, transferred correctly (Guldborgsund), per person too', () => {
    const report = buildReport({
      org: SCENARIO_ORG,
      from: SCENARIO_DAY,
      to: SCENARIO_DAY,
      period: 'day',
      thresholdSeconds: 20,
      rows: [...t.rows.values()],
      alarms: [],
      gaps: [],
      people: true,
    });
    const bygg = report.departments.find((d) => d.department === 'bygg')?.overall;
    // x1 after 12 s, t1 after 25 s; u2's answer at the switchboard is the queue's, not the department's
    expect(bygg).toMatchObject({ ringAnswered: 2, answeredInRings: 1, answeredInRingsPct: 50 });
    // t1 answered, t2 came back
    expect(bygg).toMatchObject({
      transfers: 2,
      transferredCorrectly: 1,
      transfersBounced: 1,
      transferredCorrectlyPct: 50,
    });
    const person = (ext: string) => report.people?.find((p) => p.ext === ext)?.figures;
    expect(person('2001')).toMatchObject({ ringAnswered: 1, answeredInRings: 1, transfersBounced: 1 });
    expect(person('2002')).toMatchObject({ ringAnswered: 1, answeredInRings: 0, transferredCorrectly: 1 });
    // the organisation's own N and ring length: 5 rings of 6 s (a Swedish ring) take t1's 25 s in
    const swedish = buildReport({
      org: SCENARIO_ORG,
      from: SCENARIO_DAY,
      to: SCENARIO_DAY,
      period: 'day',
      thresholdSeconds: 20,
      answer: { rings: 5, ringSeconds: 6 },
      rows: [...t.rows.values()],
      alarms: [],
      gaps: [],
      people: false,
    });
    expect(swedish.overall).toMatchObject({ answeredInRings: 2, answeredInRingsPct: 100 });
  });

  test('a step of a call heard twice (two recorders, a QoS 1 repeat) counts once', () => {
    const events = scenarioEvents();
    const twice = events.flatMap((e) => (e.kind === 'ext-call' ? [e, { ...e, id: `${e.id}-again` }] : [e]));
    const again = run(twice);
    for (const metric of [
      'unanswered',
      'unreferred',
      'transfers',
      'transfers_answered',
      'transfers_bounced',
    ] as const)
      expect(row(again, 'bygg')?.[metric]).toBe(row(t, 'bygg')?.[metric]);
    expect(row(again, 'bygg')?.ring_answers).toEqual({ '12': 1, '25': 1 });
  });

  test('calls are forgotten an hour after their last step, and at a recorder gap', () => {
    expect(Object.keys(t.state.extCalls ?? {})).toEqual([]);
  });
});

describe('private reasons (sick, vacation): health and family data', () => {
  test('count for the department only: no referral, overdue or reopened early per person', () => {
    const t = run();
    // Cia's sick referral: the department's, not hers
    expect(row(t, 'soc')?.referrals).toBe(1);
    expect(row(t, 'soc')?.reasons).toEqual({ sick: 1 });
    expect(row(t, 'soc', '3001')?.referrals ?? 0).toBe(0);
    expect(row(t, 'soc', '3001')?.reasons ?? {}).toEqual({});
  });

  test("a private referral's return time is nobody's figure: neither overdue nor reopened early", () => {
    const at = (hhmm: string) => `${SCENARIO_DAY}T${hhmm}:00.000Z`;
    const events = [
      ...scenarioEvents().slice(0, 7),
      // vacation until 09:00, back an hour late; then sick until 11:00, back at 10:00
      recorded('presence', '2001', away('vacation', at('07:00'), at('09:00'), at('07:00')), at('07:00')),
      recorded('presence', '2001', available(at('10:00')), at('10:00')),
      recorded('presence', '2001', away('sick', at('10:05'), at('11:00'), at('10:05')), at('10:05')),
      recorded('presence', '2001', available(at('10:10')), at('10:10')),
    ];
    const t = run(events);
    for (const r of [row(t, 'bygg'), row(t, 'bygg', '2001')]) {
      expect(r?.overdue).toBe(0);
      expect(r?.reopened_early).toBe(0);
    }
    expect(row(t, 'bygg')?.reasons).toEqual({ vacation: 1, sick: 1 });
    // the organisation's own catalogue decides: here vacation is public, so it counts for Anna
    const org = {
      v: 1,
      name: 'Grästorp',
      timeZone: 'Europe/Stockholm',
      locale: 'sv',
      workday: { from: '08:00', to: '17:00' },
      onReturn: 'overdue',
      callback: 'same-day',
      reasons: DEFAULT_REASONS.map((r) => (r.code === 'vacation' ? { ...r, privacy: 'public' } : r)),
    };
    const own = run([
      ...events.slice(0, 7),
      recorded('directory-org', '', org, at('07:00')),
      ...events.slice(7),
    ]);
    expect(row(own, 'bygg', '2001')?.reasons).toEqual({ vacation: 1 });
    expect(row(own, 'bygg', '2001')?.overdue).toBe(1);
  });
});

describe('a recorder that was down', () => {
  test('leaves a gap: the time is unrecorded, and nothing is counted in it', () => {
    const events = scenarioEvents().filter(
      (e) => Date.parse(new Date(e.at).toISOString()) < Date.parse('2026-12-02T09:35:00Z'),
    );
    // down 09:35Z, while both bygg people are away; up again at 10:35Z
    events.push(recorded('recorder', '', { phase: 'down', session: 's1' }, '2026-12-02T09:35:00.000Z'));
    events.push(recorded('recorder', '', { phase: 'up', session: 's2' }, '2026-12-02T10:35:00.000Z'));
    const t = run(events);
    expect(row(t, '', '')?.unrecorded_s).toBe(3600);
    // only 09:30-09:35Z is known to be unstaffed; after the gap nobody's state is known, so no alarm
    expect(row(t, 'bygg')?.unstaffed_s).toBe(5 * 60);
    // Bo's overdue meeting ended unseen: no invented overdue
    expect(row(t, 'bygg')?.overdue).toBe(0);
  });

  test('counts a referral the broker re-delivers after the gap once', () => {
    const events = scenarioEvents().filter((e) => e.at < Date.parse('2026-12-02T09:35:00Z'));
    const lunch = events.find(
      (e) => e.kind === 'presence' && e.subject === '2001' && e.at === Date.parse('2026-12-02T09:30:00Z'),
    );
    events.push(recorded('recorder', '', { phase: 'down', session: 's1' }, '2026-12-02T09:35:00.000Z'));
    events.push(recorded('recorder', '', { phase: 'up', session: 's2' }, '2026-12-02T09:40:00.000Z'));
    events.push(recorded('presence', '2001', lunch?.body, '2026-12-02T09:40:01.000Z'));
    const t = run(events);
    expect(row(t, 'bygg', '2001')?.reasons).toEqual({ lunch: 1 });
    // known again after the gap: Anna is away, Bo unknown → the department is empty again from 09:40:01Z
    expect(row(t, 'bygg')?.unstaffed_s).toBe(5 * 60 + (11 * 3600 - (9 * 3600 + 40 * 60 + 1)));
  });
});

describe('two recorders on one store', () => {
  const up = (session: string, iso: string) => recorded('recorder', '', { phase: 'up', session }, iso);
  const down = (session: string, iso: string) => recorded('recorder', '', { phase: 'down', session }, iso);

  test('a rolling restart (the new one up before the old one goes down) is no gap and forgets nothing', () => {
    const events = [
      up('s1', '2026-12-02T06:00:00.000Z'),
      ...scenarioEvents(),
      up('s2', '2026-12-02T09:34:00.000Z'),
      down('s1', '2026-12-02T09:35:00.000Z'),
    ].sort((a, b) => a.ord - b.ord);
    const t = run(events);
    expect(row(t, '', '')?.unrecorded_s ?? 0).toBe(0);
    // the same figures as the seeded day without any restart
    expect(row(t, 'bygg')).toEqual(row(run(), 'bygg'));
  });

  test('each change stored by both recorders counts once', () => {
    // a call event's key is its call and phase, so the store holds it once; every other key holds its session
    const twice = scenarioEvents().flatMap((e) =>
      e.kind === 'call' ? [e] : [e, { ...e, id: `${e.id}-other`, ord: e.ord + 1 }],
    );
    const t = run(twice);
    for (const dept of ['bygg', 'soc']) expect(row(t, dept)).toEqual(row(run(), dept));
  });

  test("a recorder of other organisations does not cover this one's gap", () => {
    const scoped = (phase: string, session: string, orgs: string[], iso: string) =>
      recorded('recorder', '', { phase, session, orgs }, iso);
    const events = [
      scoped('up', 'ours', [SCENARIO_ORG], '2026-12-02T06:00:00.000Z'),
      scoped('up', 'theirs', ['elsewhere'], '2026-12-02T07:00:00.000Z'),
      scoped('down', 'ours', [SCENARIO_ORG], '2026-12-02T08:00:00.000Z'),
    ];
    expect(row(run(events), '', '')?.unrecorded_s).toBe((dayEnd - Date.parse('2026-12-02T08:00:00Z')) / 1000);
  });

  test('the time is unrecorded only once the last one is down', () => {
    const events = [
      up('a', '2026-12-02T06:00:00.000Z'),
      up('b', '2026-12-02T07:00:00.000Z'),
      down('a', '2026-12-02T08:00:00.000Z'),
      down('b', '2026-12-02T09:00:00.000Z'),
      up('c', '2026-12-02T09:30:00.000Z'),
    ];
    expect(row(run(events), '', '')?.unrecorded_s).toBe(30 * 60);
  });
});
