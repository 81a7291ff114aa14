import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REASONS,
  Mwi,
  type Presence,
  Presence as PresenceSchema,
  supersedes,
} from '../../protocol/index.js';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { MessageRequest, PresenceRequest, parseUntil, presenceOnBehalf, takeMessage } from './actions.js';

const TZ = 'Europe/Stockholm';
// Monday 23 November 2026, 09:05 in Stockholm
const NOW = new Date('2026-11-23T08:05:00.000Z');
const OPERATOR = { kind: 'operator' as const, id: 'olle' };
const ctx = { now: NOW, policy: DEFAULT_POLICY, actor: OPERATOR };
const POLICY = { ...DEFAULT_POLICY, timeZone: TZ, holidays: ['2026-12-24', '2026-12-25', '2026-12-26'] };
const local = (d: Date | string) =>
  new Date(d).toLocaleString('sv', { timeZone: TZ, weekday: 'short', hour: '2-digit', minute: '2-digit' });

const deskPresence = (over: Partial<Presence> = {}): Presence => ({
  v: 1,
  status: 'available',
  reason: null,
  since: '2026-11-23T07:00:00.000Z',
  until: null,
  alt: null,
  seq: 7,
  by: { kind: 'desk', id: 'desk-2101' },
  at: '2026-11-23T07:00:00.000Z',
  ...over,
});

const arbPresence: fc.Arbitrary<Presence | null> = fc.option(
  fc
    .record({
      seq: fc.integer({ min: 0, max: 1_000_000 }),
      away: fc.boolean(),
      kind: fc.constantFrom('desk', 'calendar', 'switchboard', 'operator') as fc.Arbitrary<
        Presence['by']['kind']
      >,
    })
    .map(({ seq, away, kind }) =>
      deskPresence({
        seq,
        by: { kind, id: 'x' },
        ...(away ? { status: 'away', reason: 'lunch', until: '2026-11-23T09:00:00.000Z' } : {}),
      }),
    ),
);

const arbRequest: fc.Arbitrary<PresenceRequest> = fc.oneof(
  fc.constant({ open: true as const }),
  fc.record(
    {
      reason: fc.constantFrom(...DEFAULT_REASONS.map((r) => r.code)),
      until: fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      note: fc.string({ maxLength: 80 }),
    },
    { requiredKeys: ['reason'] },
  ),
);

describe('acting on behalf', () => {
  it('always makes a valid presence one step newer, by the operator, that the desk adopts', () => {
    fc.assert(
      fc.property(arbPresence, arbRequest, (current, request) => {
        const made = presenceOnBehalf(current, request, ctx);
        expect(made.ok).toBe(true);
        if (!made.ok) return;
        expect(PresenceSchema.safeParse(made.value).success).toBe(true);
        expect(made.value.seq).toBe((current?.seq ?? 0) + 1);
        expect(made.value.by).toEqual(OPERATOR);
        expect(supersedes(made.value, current)).toBe(true);
        if ('reason' in request && request.until) {
          // the time asked for, in the organisation's zone, never in the past
          expect(local(made.value.until as string)).toMatch(new RegExp(`${request.until}$`));
          expect(Date.parse(made.value.until as string)).toBeGreaterThan(NOW.getTime());
        }
      }),
    );
  });

  it('uses the reason rule for the return time: sick is back the next working day at 08:00', () => {
    const made = presenceOnBehalf(deskPresence(), { reason: 'sick' }, ctx);
    expect(made.ok && local(made.value.until as string)).toBe('tis 08:00');
    const friday = presenceOnBehalf(
      deskPresence(),
      { reason: 'sick' },
      {
        ...ctx,
        now: new Date('2026-11-27T14:00:00.000Z'),
      },
    );
    expect(friday.ok && local(friday.value.until as string)).toBe('mån 08:00');
    const lunch = presenceOnBehalf(deskPresence(), { reason: 'lunch' }, ctx);
    expect(lunch.ok && local(lunch.value.until as string)).toBe('mån 09:50');
  });

  it('keeps since and the alternative answering point within one absence, unless told otherwise', () => {
    const away = deskPresence({
      status: 'away',
      reason: 'meeting',
      since: '2026-11-23T07:30:00.000Z',
      until: '2026-11-23T09:15:00.000Z',
      alt: { kind: 'forward', to: '2104' },
    });
    const sick = presenceOnBehalf(away, { reason: 'sick' }, ctx);
    expect(sick.ok && sick.value).toMatchObject({ since: away.since, alt: away.alt });
    const cleared = presenceOnBehalf(away, { reason: 'sick', alt: null }, ctx);
    expect(cleared.ok && cleared.value.alt).toBeNull();
    const open = presenceOnBehalf(away, { open: true }, ctx);
    expect(open.ok && open.value).toMatchObject({
      status: 'available',
      reason: null,
      until: null,
      alt: null,
    });
  });

  it('refuses what the rules refuse, with a reason', () => {
    expect(presenceOnBehalf(null, { reason: 'napping' }, ctx)).toEqual({
      ok: false,
      field: 'reason',
      code: 'unknown',
      error: "reason: napping is not in the organisation's catalogue",
    });
    expect(presenceOnBehalf(null, { reason: 'lunch', untilFurtherNotice: true }, ctx)).toEqual({
      ok: false,
      field: 'untilFurtherNotice',
      code: 'return-required',
      error: 'reason: lunch needs a return time',
    });
    const vacation = presenceOnBehalf(null, { reason: 'vacation', untilFurtherNotice: true }, ctx);
    expect(vacation.ok && vacation.value.until).toBeNull();
    expect(presenceOnBehalf(null, { reason: 'sick', until: '2026-11-23T07:00:00Z' }, ctx)).toEqual({
      ok: false,
      field: 'until',
      code: 'passed',
      error: 'until: the return time has passed',
    });
    expect(
      PresenceRequest.safeParse({ reason: 'sick', until: '10:00', untilFurtherNotice: true }).success,
    ).toBe(false);
    expect(PresenceRequest.safeParse({ open: true, reason: 'sick' }).success).toBe(false);
    expect(PresenceRequest.safeParse({ reason: 'Sick!' }).success).toBe(false);
  });

  it('reads HH:MM as the next such time in the zone, also across the spring DST change', () => {
    expect(parseUntil('08:00', NOW, POLICY)).toEqual({
      ok: true,
      value: new Date('2026-11-24T07:00:00.000Z'),
    });
    expect(parseUntil('09:06', NOW, POLICY)).toEqual({
      ok: true,
      value: new Date('2026-11-23T08:06:00.000Z'),
    });
    // Saturday 28 March 2027 23:30 local: 08:00 on Sunday is already summer time (UTC+2)
    expect(parseUntil('08:00', new Date('2027-03-27T22:30:00.000Z'), POLICY)).toEqual({
      ok: true,
      value: new Date('2027-03-28T06:00:00.000Z'),
    });
    expect(parseUntil('24:00', NOW, POLICY).ok).toBe(false);
    expect(parseUntil('2026-11-23T12:00:20+01:00', NOW, POLICY)).toEqual({
      ok: true,
      value: new Date('2026-11-23T11:01:00.000Z'),
    });
  });
  it('reads a return date as the start of that working day, or of the next one', () => {
    // Monday 23 November 2026, 09:05: "sick until Wednesday"
    expect(parseUntil('2026-11-25', NOW, POLICY)).toEqual({
      ok: true,
      value: new Date('2026-11-25T07:00:00.000Z'),
    });
    // "vacation until Christmas Eve": the 24th-26th are holidays, the 27th-28th a weekend
    expect(parseUntil('2026-12-24', NOW, POLICY)).toEqual({
      ok: true,
      value: new Date('2026-12-28T07:00:00.000Z'),
    });
    expect(parseUntil('2026-11-24 13:30', NOW, POLICY)).toEqual({
      ok: true,
      value: new Date('2026-11-24T12:30:00.000Z'),
    });
    expect(parseUntil('2026-11-23', NOW, POLICY)).toMatchObject({
      ok: false,
      field: 'until',
      code: 'passed',
    });
    expect(parseUntil('2026-02-30', NOW, POLICY)).toMatchObject({
      ok: false,
      field: 'until',
      code: 'format',
    });
  });

  it('chains like the desk: a reason without a time while away starts at the current end', () => {
    const inMeeting = deskPresence({ status: 'away', reason: 'meeting', until: '2026-11-23T11:00:00.000Z' });
    const lunch = presenceOnBehalf(inMeeting, { reason: 'lunch' }, ctx);
    // lunch is 45 minutes from the meeting's end, not from now
    expect(lunch).toMatchObject({ ok: true, value: { reason: 'lunch', until: '2026-11-23T11:45:00.000Z' } });
    // the same reason again extends by the step, as the key does
    const again = presenceOnBehalf(inMeeting, { reason: 'meeting' }, ctx);
    expect(again).toMatchObject({
      ok: true,
      value: { reason: 'meeting', until: '2026-11-23T11:15:00.000Z' },
    });
    // with an alternative answering point
    const forwarded = presenceOnBehalf(
      inMeeting,
      { reason: 'lunch', alt: { kind: 'forward', to: '4712' } },
      ctx,
    );
    expect(forwarded).toMatchObject({ ok: true, value: { alt: { kind: 'forward', to: '4712' } } });
  });
});

describe('phone messages', () => {
  const request = { from: 'Lena Holm', number: '070-123 45 67', text: 'Ring om bygglovet' };
  const taking = { now: NOW, policy: DEFAULT_POLICY, takenBy: 'Olle', id: 'm-1' };

  it('appends to what is waiting and sets the callback by the org rule', () => {
    const current = {
      v: 1 as const,
      messages: [{ id: 'sim-1', at: NOW.toISOString(), text: 'x', callbackBy: null }],
    };
    const next = takeMessage(current, request, {
      ...taking,
      policy: { ...DEFAULT_POLICY, callback: 'same-day' },
    });
    expect(next.ok).toBe(true);
    if (!next.ok) return;
    expect(next.value.mwi.messages.map((m) => m.id)).toEqual(['sim-1', 'm-1']);
    expect(local(next.value.message.callbackBy as string)).toBe('mån 17:00');
    const nextDay = takeMessage(null, request, taking);
    expect(nextDay.ok && local(nextDay.value.message.callbackBy as string)).toBe('tis 17:00');
  });

  it('take then handle is the identity on what was there (property)', () => {
    const arbMwi = fc.option(
      fc.record({
        v: fc.constant(1 as const),
        messages: fc.uniqueArray(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 64 }).filter((id) => id !== 'm-1'),
            at: fc.constant(NOW.toISOString()),
            text: fc.string({ maxLength: 1000 }),
            callbackBy: fc.constant(null),
          }),
          { maxLength: 199, selector: (m) => m.id },
        ),
      }),
    );
    fc.assert(
      fc.property(arbMwi, (current) => {
        const taken = takeMessage(current, request, taking);
        expect(taken.ok).toBe(true);
        if (!taken.ok) return;
        expect(Mwi.safeParse(taken.value.mwi).success).toBe(true);
        expect(taken.value.mwi.messages).toEqual([...(current?.messages ?? []), taken.value.message]);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a 201st message and empty or oversized fields', () => {
    const full = {
      v: 1 as const,
      messages: Array.from({ length: 200 }, (_, i) => ({
        id: `m${i}`,
        at: NOW.toISOString(),
        text: 't',
        callbackBy: null,
      })),
    };
    const refused = takeMessage(full, request, taking);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/^messages: /);
    expect(MessageRequest.safeParse({ from: ' ', text: 'x' }).success).toBe(false);
    expect(MessageRequest.safeParse({ from: 'a', text: 'x'.repeat(1001) }).success).toBe(false);
    expect(MessageRequest.safeParse({ from: 'a', text: 'x', extra: 1 }).success).toBe(false);
  });
});
