import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTOR_RANK, type Actor, DEFAULT_REASONS, findReason, Presence } from '../../protocol/index.js';
import { DEFAULT_POLICY, type OrgPolicy, policyFromOrg } from './policy.js';
import {
  adopt,
  applyAction,
  type DeskAction,
  type DeskContext,
  initialPresence,
  nextWake,
  onTime,
  overdueMinutes,
} from './referral.js';

const desk: Actor = { kind: 'desk', id: 'desk-1' };
const operator: Actor = { kind: 'operator', id: 'op-anna' };
const at = (s: string) => new Date(s);
// Monday 2026-05-04 in Stockholm (CEST, UTC+2): local 09:05 = 07:05Z
const MON_0905 = at('2026-05-04T07:05:00Z');

function ctx(now: Date, extra: Partial<DeskContext> = {}): DeskContext {
  return { now, policy: DEFAULT_POLICY, actor: desk, ...extra };
}
function press(p: Presence, action: DeskAction, now: Date, extra: Partial<DeskContext> = {}): Presence {
  return applyAction(p, action, ctx(now, extra));
}
const reason = (r: string): DeskAction => ({ type: 'reason', reason: r });
const start = initialPresence(at('2026-05-04T06:00:00Z'), desk);
const lunchDef = findReason('lunch');
if (!lunchDef) throw new Error('the default catalogue has lunch');
const plus = (d: Date, min: number) => new Date(d.getTime() + min * 60_000);

describe('one press sets the reason with its default return time', () => {
  it('starts available at seq 0', () => {
    expect(start).toMatchObject({
      status: 'available',
      reason: null,
      until: null,
      alt: null,
      seq: 0,
      by: desk,
    });
    expect(Presence.safeParse(start).success).toBe(true);
  });

  it.each([
    ['lunch', '2026-05-04T07:50:00.000Z'], // 09:05 + 45 min
    ['out', '2026-05-04T07:20:00.000Z'], // + 15 min
    ['meeting', '2026-05-04T08:15:00.000Z'], // next full quarter past one hour: 10:15
    ['sick', '2026-05-05T06:00:00.000Z'], // start of the next working day, Tuesday 08:00
    ['trip', '2026-05-04T15:00:00.000Z'], // end of the working day, 17:00
    ['course', '2026-05-04T15:00:00.000Z'],
    ['gone', '2026-05-05T06:00:00.000Z'],
    ['vacation', null], // until further notice: the operator or a calendar sets the date
  ])('%s → %s', (code, until) => {
    const p = press(start, reason(code), MON_0905);
    expect(p).toMatchObject({
      status: 'away',
      reason: code,
      until,
      seq: 1,
      by: desk,
      at: MON_0905.toISOString(),
    });
    expect(p.since).toBe(MON_0905.toISOString());
  });

  it('rounds return times up to the whole minute', () => {
    const p = press(start, reason('lunch'), at('2026-05-04T07:05:12.345Z'));
    expect(p.until).toBe('2026-05-04T07:51:00.000Z');
  });

  it('end of day after the working day is the end of the next working day', () => {
    // Friday 2026-05-08 18:00 local → Monday 17:00
    expect(press(start, reason('trip'), at('2026-05-08T16:00:00Z')).until).toBe('2026-05-11T15:00:00.000Z');
  });

  it('next working day: Friday, Saturday or early Monday → the next working morning', () => {
    // Friday 18:00 and Saturday 10:00 → Monday 08:00; Monday 06:30 (sick before work) → Tuesday 08:00
    expect(press(start, reason('gone'), at('2026-05-08T16:00:00Z')).until).toBe('2026-05-11T06:00:00.000Z');
    expect(press(start, reason('sick'), at('2026-05-09T08:00:00Z')).until).toBe('2026-05-11T06:00:00.000Z');
    expect(press(start, reason('sick'), at('2026-05-04T04:30:00Z')).until).toBe('2026-05-05T06:00:00.000Z');
  });

  it('gone for the day is not overdue overnight, and overdue from the next morning', () => {
    const gone = press(start, reason('gone'), at('2026-05-04T14:55:00Z')); // Monday 16:55
    expect(overdueMinutes(gone, at('2026-05-05T01:00:00Z'))).toBe(0); // 03:00
    expect(nextWake(gone, ctx(at('2026-05-04T15:00:00Z')))?.toISOString()).toBe('2026-05-05T06:00:00.000Z');
    expect(overdueMinutes(gone, at('2026-05-05T06:10:00Z'))).toBe(10);
  });

  it('chained after a meeting that runs past the working day: still the next morning', () => {
    const meeting = press(start, reason('meeting'), at('2026-05-04T14:30:00Z')); // 16:30 → 17:30
    expect(press(meeting, reason('gone'), at('2026-05-04T14:31:00Z')).until).toBe('2026-05-05T06:00:00.000Z');
  });

  it('a reason the org does not have does nothing', () => {
    expect(press(start, reason('bowling'), MON_0905)).toBe(start);
  });

  it('an org reason catalogue with until-further-notice gives no return time', () => {
    const policy: OrgPolicy = {
      ...DEFAULT_POLICY,
      reasons: [
        ...DEFAULT_REASONS,
        { ...lunchDef, code: 'leave', rule: { type: 'until-further-notice' }, returnRequired: false },
      ],
    };
    expect(press(start, reason('leave'), MON_0905, { policy })).toMatchObject({
      reason: 'leave',
      until: null,
    });
  });
});

describe('extend and shorten', () => {
  const lunch = press(start, reason('lunch'), MON_0905); // until 09:50 local

  it('the same reason key again extends by the step', () => {
    const p = press(lunch, reason('lunch'), plus(MON_0905, 1));
    expect(p).toMatchObject({
      reason: 'lunch',
      until: '2026-05-04T08:05:00.000Z',
      seq: 2,
      since: lunch.since,
    });
  });

  it('+ extends from the return time, from now when overdue or until further notice', () => {
    expect(press(lunch, { type: 'extend', minutes: 15 }, MON_0905).until).toBe('2026-05-04T08:05:00.000Z');
    // overdue: 10:00 local, 10 min past 09:50 → 10:15
    expect(press(lunch, { type: 'extend', minutes: 15 }, at('2026-05-04T08:00:00Z')).until).toBe(
      '2026-05-04T08:15:00.000Z',
    );
    const ufn = press(start, { type: 'until-further-notice', reason: 'sick' }, MON_0905);
    expect(press(ufn, { type: 'extend', minutes: 15 }, MON_0905).until).toBe('2026-05-04T07:20:00.000Z');
  });

  it('- shortens, never to less than a minute from now, never to available', () => {
    expect(press(lunch, { type: 'shorten', minutes: 15 }, MON_0905).until).toBe('2026-05-04T07:35:00.000Z');
    // 09:45 local: lunch until 09:50 shortened by 15 → clamped to 09:46
    const late = at('2026-05-04T07:45:00Z');
    const p = press(lunch, { type: 'shorten', minutes: 15 }, late);
    expect(p).toMatchObject({ status: 'away', until: '2026-05-04T07:46:00.000Z' });
    // nothing left to shorten
    expect(press(p, { type: 'shorten', minutes: 15 }, late)).toBe(p);
    // overdue: shortening would move it later, so nothing happens
    expect(press(lunch, { type: 'shorten', minutes: 15 }, at('2026-05-04T08:00:00Z'))).toBe(lunch);
  });

  it('+ and - do nothing while available or (for -) until further notice', () => {
    expect(press(start, { type: 'extend', minutes: 15 }, MON_0905)).toBe(start);
    expect(press(start, { type: 'shorten', minutes: 15 }, MON_0905)).toBe(start);
    const ufn = press(start, { type: 'until-further-notice', reason: 'sick' }, MON_0905);
    expect(press(ufn, { type: 'shorten', minutes: 15 }, MON_0905)).toBe(ufn);
  });

  it('a long press means until further notice', () => {
    const p = press(lunch, { type: 'until-further-notice', reason: 'sick' }, MON_0905);
    expect(p).toMatchObject({ status: 'away', reason: 'sick', until: null, seq: 2 });
    expect(press(p, { type: 'until-further-notice', reason: 'sick' }, MON_0905)).toBe(p);
  });

  it('but not for a reason that requires a return time: there it is a short press', () => {
    // meeting chained after lunch (until 09:50) → 11:00, as a short press would
    const p = press(lunch, { type: 'until-further-notice', reason: 'meeting' }, MON_0905);
    expect(p).toMatchObject({ reason: 'meeting', until: '2026-05-04T09:00:00.000Z' });
    expect(press(lunch, { type: 'until-further-notice', reason: 'lunch' }, MON_0905).until).toBe(
      '2026-05-04T08:05:00.000Z',
    );
  });
});

describe('chaining: state the total absence (SAMSA)', () => {
  it('meeting until 12:00, then lunch → lunch until 12:45', () => {
    // 10:55 local + 60 → 11:55 → 12:00
    const meeting = press(start, reason('meeting'), at('2026-05-04T08:55:00Z'));
    expect(meeting.until).toBe('2026-05-04T10:00:00.000Z');
    const lunch = press(meeting, reason('lunch'), at('2026-05-04T09:00:00Z'));
    expect(lunch).toMatchObject({ reason: 'lunch', until: '2026-05-04T10:45:00.000Z', since: meeting.since });
  });

  it('chains from now when the current end is past or unknown', () => {
    const meeting = press(start, reason('meeting'), at('2026-05-04T08:55:00Z'));
    const overdue = at('2026-05-04T10:10:00Z');
    expect(press(meeting, reason('lunch'), overdue).until).toBe('2026-05-04T10:55:00.000Z');
    const ufn = press(start, { type: 'until-further-notice', reason: 'vacation' }, MON_0905);
    expect(press(ufn, reason('lunch'), MON_0905).until).toBe('2026-05-04T07:50:00.000Z');
  });

  it('a meeting chained after lunch ends at the next quarter an hour after lunch', () => {
    const lunch = press(start, reason('lunch'), MON_0905); // until 09:50
    expect(press(lunch, reason('meeting'), MON_0905).until).toBe('2026-05-04T09:00:00.000Z'); // 11:00
  });
});

describe('open', () => {
  it('reopens at once, also before the return time, clearing reason, time and alt', () => {
    const away = press(press(start, reason('lunch'), MON_0905), { type: 'alt-info' }, MON_0905);
    const open = press(away, { type: 'open' }, plus(MON_0905, 5));
    expect(open).toMatchObject({
      status: 'available',
      reason: null,
      until: null,
      alt: null,
      seq: away.seq + 1,
    });
    expect(open.since).toBe(plus(MON_0905, 5).toISOString());
  });

  it('does nothing when already open', () => {
    expect(press(start, { type: 'open' }, MON_0905)).toBe(start);
  });
});

describe('alternative answering point', () => {
  const lunch = press(start, reason('lunch'), MON_0905);

  it('forward toggles to the configured colleague; without one it does nothing', () => {
    const fwd = press(lunch, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' });
    expect(fwd.alt).toEqual({ kind: 'forward', to: '4711' });
    expect(press(fwd, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' }).alt).toBeNull();
    expect(press(lunch, { type: 'alt-forward' }, MON_0905)).toBe(lunch);
  });

  it('forward takes over a forward the operator set elsewhere, and toggles off one to the same colleague', () => {
    const elsewhere = { ...lunch, alt: { kind: 'forward' as const, to: '99' } };
    expect(press(elsewhere, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' }).alt).toEqual({
      kind: 'forward',
      to: '4711',
    });
    const named = { ...lunch, alt: { kind: 'forward' as const, to: '4711', name: 'Anna' } };
    expect(press(named, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' }).alt).toBeNull();
  });

  it('info toggles; forward replaces info', () => {
    const info = press(lunch, { type: 'alt-info' }, MON_0905);
    expect(info.alt).toEqual({ kind: 'info' });
    expect(press(info, { type: 'alt-info' }, MON_0905).alt).toBeNull();
    expect(press(info, { type: 'alt-forward' }, MON_0905, { forwardTo: '12' }).alt).toEqual({
      kind: 'forward',
      to: '12',
    });
  });

  it('is part of the absence: kept over extend and chain, nothing while available', () => {
    const fwd = press(lunch, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' });
    expect(press(fwd, { type: 'extend', minutes: 15 }, MON_0905).alt).toEqual(fwd.alt);
    expect(press(fwd, reason('meeting'), MON_0905).alt).toEqual(fwd.alt);
    expect(press(start, { type: 'alt-info' }, MON_0905)).toBe(start);
  });

  it('message-handled never changes presence', () => {
    expect(press(lunch, { type: 'message-handled' }, MON_0905)).toBe(lunch);
  });
});

describe('return time: overdue or reopen', () => {
  const lunch = press(start, reason('lunch'), MON_0905); // until 07:50Z
  const reopen: OrgPolicy = { ...DEFAULT_POLICY, onReturn: 'reopen' };

  it('overdue by default: unchanged, minutes counted', () => {
    const later = at('2026-05-04T08:00:30Z');
    expect(onTime(lunch, ctx(later))).toBe(lunch);
    expect(overdueMinutes(lunch, later)).toBe(10);
    expect(overdueMinutes(lunch, at('2026-05-04T07:49:00Z'))).toBe(0);
    expect(overdueMinutes(start, later)).toBe(0);
  });

  it('reopen: available from the return time at the first look after it', () => {
    expect(onTime(lunch, ctx(at('2026-05-04T07:49:59Z'), { policy: reopen }))).toBe(lunch);
    const p = onTime(lunch, ctx(at('2026-05-04T07:52:00Z'), { policy: reopen }));
    expect(p).toMatchObject({ status: 'available', reason: null, until: null, seq: 2, since: lunch.until });
    expect(p.at).toBe('2026-05-04T07:52:00.000Z');
  });

  it('wakes once, at the return time; never while available or until further notice', () => {
    expect(nextWake(lunch, ctx(MON_0905))?.toISOString()).toBe(lunch.until);
    expect(nextWake(start, ctx(MON_0905))).toBeUndefined();
    expect(
      nextWake(press(start, { type: 'until-further-notice', reason: 'sick' }, MON_0905), ctx(MON_0905)),
    ).toBe(undefined);
    // past it: nothing more happens with 'overdue'; with 'reopen' it is due now
    expect(nextWake(lunch, ctx(at('2026-05-04T09:00:00Z')))).toBeUndefined();
    expect(nextWake(lunch, ctx(at('2026-05-04T09:00:00Z'), { policy: reopen }))?.toISOString()).toBe(
      lunch.until,
    );
  });
});

describe('DST and midnight', () => {
  const sto = DEFAULT_POLICY;
  const cph = policyFromOrg({
    v: 1,
    name: 'Guldborgsund',
    timeZone: 'Europe/Copenhagen',
    locale: 'da',
    workday: { from: '08:00', to: '15:30' },
    onReturn: 'overdue',
    callback: 'same-day',
  });

  const zones = { sto, cph };
  it.each([
    // 2026-03-29 01:30 CET: lunch 45 real minutes later is 03:15 CEST (02:15 does not exist)
    ['sto', 'lunch', '2026-03-29T00:30:00Z', '2026-03-29T01:15:00.000Z'],
    ['cph', 'meeting', '2026-03-29T00:50:00Z', '2026-03-29T02:00:00.000Z'], // 01:50 CET → 04:00 CEST
    ['sto', 'trip', '2026-03-29T09:00:00Z', '2026-03-30T15:00:00.000Z'], // Sunday → Monday 17:00 CEST
    ['cph', 'course', '2026-03-27T15:00:00Z', '2026-03-30T13:30:00.000Z'], // Friday 16:00 CET → Monday 15:30 CEST
    ['sto', 'sick', '2026-03-29T09:00:00Z', '2026-03-30T06:00:00.000Z'], // Sunday → Monday 08:00 CEST
    ['cph', 'sick', '2026-03-27T15:00:00Z', '2026-03-30T06:00:00.000Z'], // Friday 16:00 CET → Monday 08:00 CEST
    ['cph', 'gone', '2026-03-28T22:30:00Z', '2026-03-30T06:00:00.000Z'], // Saturday 23:30 CET → Monday 08:00 CEST
    // 2026-10-25 02:30 CEST (first) + 45 min = 02:15 CET
    ['sto', 'lunch', '2026-10-25T00:30:00Z', '2026-10-25T01:15:00.000Z'],
    ['cph', 'meeting', '2026-10-25T00:50:00Z', '2026-10-25T02:00:00.000Z'], // 02:50 CEST → 03:00 CET
    ['sto', 'trip', '2026-10-23T16:00:00Z', '2026-10-26T16:00:00.000Z'], // Friday 18:00 CEST → Monday 17:00 CET
    ['sto', 'gone', '2026-10-23T16:00:00Z', '2026-10-26T07:00:00.000Z'], // Friday 18:00 CEST → Monday 08:00 CET
    ['sto', 'meeting', '2026-05-04T21:50:00Z', '2026-05-04T23:00:00.000Z'], // 23:50 → 01:00 next day
    ['sto', 'lunch', '2026-05-04T21:45:00Z', '2026-05-04T22:30:00.000Z'], // 23:45 → 00:30
  ] as const)('%s: %s at %s → %s', (zone, code, now, until) => {
    expect(press(start, reason(code), at(now), { policy: zones[zone] }).until).toBe(until);
  });

  it('extends by real minutes across the spring gap', () => {
    const lunch = press(start, reason('lunch'), at('2026-03-29T00:30:00Z'));
    expect(press(lunch, { type: 'extend', minutes: 15 }, at('2026-03-29T00:31:00Z')).until).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });
});

describe('adopt: newest by seq, never by wall clock', () => {
  const lunch = press(start, reason('lunch'), MON_0905);

  it('takes a newer presence set by the operator and keeps an older one out', () => {
    const sick = applyAction(lunch, reason('sick'), { ...ctx(plus(MON_0905, 1)), actor: operator });
    expect(adopt(lunch, sick)).toBe(sick);
    expect(adopt(sick, lunch)).toBe(sick);
    // a stale message with a later wall clock still loses
    const stale = { ...start, at: '2030-01-01T00:00:00.000Z' };
    expect(adopt(lunch, stale)).toBe(lunch);
  });

  it('breaks a tie by the shared protocol rule: the operator beats the desk', () => {
    const byDesk = press(lunch, reason('meeting'), MON_0905);
    const byOperator = applyAction(lunch, reason('sick'), { ...ctx(MON_0905), actor: operator });
    expect(byDesk.seq).toBe(byOperator.seq);
    expect(adopt(byDesk, byOperator)).toBe(byOperator);
    expect(adopt(byOperator, byDesk)).toBe(byOperator);
  });

  const actors = fc.record({
    kind: fc.constantFrom('desk', 'operator', 'calendar', 'switchboard'),
    id: fc.constantFrom('a', 'b', 'desk-1'),
  }) as fc.Arbitrary<Actor>;
  const presences = fc
    .record({
      seq: fc.integer({ min: 0, max: 3 }),
      by: actors,
      away: fc.boolean(),
      reason: fc.constantFrom('lunch', 'sick'),
      minute: fc.integer({ min: 0, max: 3 }),
    })
    .map(
      ({ seq, by, away, reason, minute }): Presence => ({
        ...start,
        seq,
        by,
        ...(away ? { status: 'away', reason, until: plus(MON_0905, minute).toISOString() } : {}),
      }),
    );

  const key = (p: Presence) => ({ seq: p.seq, by: p.by });
  it('property: commutative, idempotent and associative on (seq, by); the same winner everywhere', () => {
    fc.assert(
      fc.property(presences, presences, presences, (a, b, c) => {
        expect(key(adopt(a, b))).toEqual(key(adopt(b, a)));
        expect(adopt(a, a)).toBe(a);
        expect(adopt(adopt(a, b), b)).toBe(adopt(a, b));
        expect(key(adopt(adopt(a, b), c))).toEqual(key(adopt(a, adopt(b, c))));
        // the newest by seq always wins
        expect(adopt(a, b).seq).toBe(Math.max(a.seq, b.seq));
        // a tie goes to the higher-ranked actor (the operator over the desk), whichever arrives first
        if (a.seq === b.seq && ACTOR_RANK[a.by.kind] > ACTOR_RANK[b.by.kind]) {
          expect(adopt(a, b)).toBe(a);
          expect(adopt(b, a)).toBe(a);
        }
      }),
    );
  });
});

describe('properties of the state machine', () => {
  const codes = [...DEFAULT_REASONS.map((r) => r.code), 'unknown'];
  const action: fc.Arbitrary<DeskAction> = fc.oneof(
    fc.constantFrom(...codes).map((r) => ({ type: 'reason' as const, reason: r })),
    fc.constantFrom(...codes).map((r) => ({ type: 'until-further-notice' as const, reason: r })),
    fc.constant({ type: 'open' as const }),
    fc.integer({ min: 1, max: 240 }).map((minutes) => ({ type: 'extend' as const, minutes })),
    fc.integer({ min: 1, max: 240 }).map((minutes) => ({ type: 'shorten' as const, minutes })),
    fc.constant({ type: 'alt-forward' as const }),
    fc.constant({ type: 'alt-info' as const }),
    fc.constant({ type: 'message-handled' as const }),
  );
  const step = fc.record({
    action,
    // clock jumps: none, seconds, hours, days (a desk asleep over a weekend)
    advanceMs: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 120_000 }),
      fc.integer({ min: 0, max: 4 * 86_400_000 }),
    ),
    tick: fc.boolean(),
    forwardTo: fc.option(fc.constantFrom('4711', '12'), { nil: undefined }),
    actor: fc.constantFrom(desk, operator),
  });
  const policies = fc.record({
    timeZone: fc.constantFrom('Europe/Stockholm', 'Europe/Copenhagen', 'Asia/Kathmandu'),
    onReturn: fc.constantFrom('overdue', 'reopen'),
  });
  const starts = fc.date({
    min: at('2025-01-01T00:00:00Z'),
    max: at('2030-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('random presses and clock jumps: always a valid presence; open is available; seq +1 on change', () => {
    fc.assert(
      fc.property(starts, policies, fc.array(step, { maxLength: 40 }), (t0, pol, steps) => {
        const policy = { ...DEFAULT_POLICY, ...pol } as OrgPolicy;
        let now = t0;
        let p = initialPresence(now, desk);
        for (const s of steps) {
          now = new Date(now.getTime() + s.advanceMs);
          const c: DeskContext = { now, policy, actor: s.actor };
          if (s.forwardTo) c.forwardTo = s.forwardTo;
          if (s.tick) {
            const wake = nextWake(p, c);
            const ticked = onTime(p, c);
            if (ticked !== p) {
              expect(ticked.seq).toBe(p.seq + 1);
              expect(wake?.getTime()).toBeLessThanOrEqual(now.getTime());
            }
            p = ticked;
          }
          const next = applyAction(p, s.action, c);
          const parsed = Presence.safeParse(next);
          expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
          if (next !== p) {
            expect(next.seq).toBe(p.seq + 1);
            expect(next.by).toEqual(s.actor);
            expect(Date.parse(next.since)).toBeLessThanOrEqual(Date.parse(next.at));
            const changedTime = next.until !== p.until || next.reason !== p.reason;
            if (next.until !== null && changedTime)
              expect(Date.parse(next.until)).toBeGreaterThan(now.getTime());
          }
          if (s.action.type === 'open') expect(next).toMatchObject({ status: 'available', alt: null });
          if (s.action.type === 'message-handled') expect(next).toBe(p);
          if (next.status === 'available') expect(next.alt).toBeNull();
          // the caller always learns when a reason that requires a return time ends
          if (next.status === 'away' && next.until === null) {
            expect(findReason(next.reason ?? '', policy.reasons)?.returnRequired).toBe(false);
          }
          p = next;
        }
      }),
    );
  });
});
