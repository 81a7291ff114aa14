// The page's pure logic (modules of the bundled page), tested in Node.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS, type PhoneHours } from '../../../protocol/index.js';
import { inPhoneHours } from '../../../rules/phone-hours.js';
import { summarise, type TallyRow, tallyRows } from './departments.js';
import { duration, type RowLike, returnText, stateOf, stateText, waited } from './format.js';
import { Tallies } from './tallies.js';

const NOW = Date.parse('2026-11-23T10:30:00.000Z'); // a Monday, 11:30 in Stockholm
const MIN = 60_000;
const STO = 'Europe/Stockholm';
const STOCKHOLM = { timeZone: STO };
const away = (until: number | null): RowLike => ({
  status: 'away',
  reason: 'lunch',
  until: until === null ? null : new Date(until).toISOString(),
});
const available: RowLike = { status: 'available', reason: null, until: null };

describe('return text', () => {
  it('says overdue with the whole minutes passed, once the return time has passed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 59 * MIN }), (late) => {
        const until = NOW - late;
        expect(stateOf(away(until), NOW)).toBe('overdue');
        // and keeps the time it was meant to end (11:30 in Stockholm is NOW)
        expect(returnText(away(until), NOW, 'en', STO)).toMatch(
          new RegExp(`^overdue ${Math.max(1, Math.floor(late / MIN))} min, due back 1[01]:[0-5][0-9]$`),
        );
      }),
    );
  });

  it('says back at the local time before it', () => {
    expect(returnText(away(NOW + 45 * MIN), NOW, 'sv', STO)).toBe('tillbaka 12:15');
    expect(returnText(away(NOW + 45 * MIN), NOW, 'en', 'UTC')).toBe('back 11:15');
    expect(returnText(away(NOW + 24 * 60 * MIN), NOW, 'sv', STO)).toBe('tillbaka tis 11:30');
    expect(returnText(away(NOW + 10 * 24 * 60 * MIN), NOW, 'da', 'Europe/Copenhagen')).toBe(
      'tilbage 3/12 11:30',
    );
  });

  it('until further notice, and nothing when available or unknown', () => {
    expect(returnText(away(null), NOW, 'sv')).toBe('tills vidare');
    expect(returnText(away(null), NOW, 'da')).toBe('indtil videre');
    expect(returnText(available, NOW, 'en')).toBe('');
    expect(returnText({ status: null, reason: null, until: null }, NOW, 'en')).toBe('');
  });

  it('labels the reason in each language, an unknown code as itself', () => {
    expect(stateText({ status: 'away', reason: 'sick', until: null }, 'da', DEFAULT_REASONS)).toBe('Syg');
    expect(stateText({ status: 'away', reason: 'x-custom', until: null }, 'sv', DEFAULT_REASONS)).toBe(
      'x-custom',
    );
    expect(stateText(available, 'sv', DEFAULT_REASONS)).toBe('Tillgänglig');
  });

  it('durations and queue waits read naturally', () => {
    expect(duration(0)).toBe('1 min');
    expect(duration(90 * MIN)).toBe('1 h 30 min');
    expect(duration(120 * MIN)).toBe('2 h');
    expect(duration(3 * 24 * 60 * MIN)).toBe('3 d');
    expect(waited(new Date(NOW - 95_000).toISOString(), NOW)).toBe('1:35');
    expect(waited(null, NOW)).toBe('');
  });
});

describe('departments', () => {
  it('phone hours agree with the local weekday and time (UTC zone)', () => {
    const window = fc.record({
      days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      from: fc.integer({ min: 0, max: 23 * 60 }),
      length: fc.integer({ min: 1, max: 12 * 60 }),
    });
    fc.assert(
      fc.property(window, fc.integer({ min: 0, max: 14 * 24 * 60 }), (w, minute) => {
        const to = Math.min(w.from + w.length, 23 * 60 + 59);
        const hm = (m: number) =>
          `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const now = NOW + minute * MIN;
        const d = new Date(now);
        const day = ((d.getUTCDay() + 6) % 7) + 1;
        const m = d.getUTCHours() * 60 + d.getUTCMinutes();
        const inside = w.days.includes(day) && w.from <= m && m < to;
        const window = [{ days: w.days, from: hm(w.from), to: hm(to) }];
        expect(inPhoneHours(window, now, { timeZone: 'UTC' })).toBe(inside);
      }),
    );
  });

  const hours = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }];
  const rowArb = fc.oneof(
    fc.constant(available),
    fc.constant<RowLike>({ status: null, reason: null, until: null }),
    fc
      .option(fc.integer({ min: -120, max: 600 }), { nil: null })
      .map((m) => away(m === null ? null : NOW + m * MIN)),
  );

  it('alarms only when everyone known is away, never with someone available or nobody known', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 8 }), fc.boolean(), (rows, mustAnswer) => {
        const s = summarise({ phoneHours: hours, mustAnswer }, rows, NOW, STOCKHOLM);
        const known = rows.filter((r) => r.status !== null);
        const anyAvailable = rows.some((r) => r.status === 'available');
        expect(s.open).toBe(true);
        expect(s.available).toBe(rows.filter((r) => r.status === 'available').length);
        if (anyAvailable || known.length === 0) expect(s.alarm).toBeNull();
        else expect(s.alarm).toBe(mustAnswer ? 'must-answer' : 'all-away');
        const future = rows.flatMap((r) =>
          r.until && Date.parse(r.until) > NOW ? [Date.parse(r.until)] : [],
        );
        expect(s.nextBack).toBe(future.length ? Math.min(...future) : null);
      }),
    );
  });

  it('outside phone hours: no all-away alarm; a must-answer function without hours alarms always', () => {
    const evening = Date.parse('2026-11-23T18:00:00.000Z');
    const rows = [away(null)];
    expect(summarise({ phoneHours: hours, mustAnswer: false }, rows, evening, STOCKHOLM)).toMatchObject({
      open: false,
      alarm: null,
    });
    expect(summarise({ phoneHours: hours, mustAnswer: true }, rows, evening, STOCKHOLM).alarm).toBeNull();
    expect(summarise({ phoneHours: [], mustAnswer: true }, rows, evening, STOCKHOLM)).toMatchObject({
      open: null,
      alarm: 'must-answer',
    });
  });

  it('SAMSA §7: someone available outside their own phone hours does not staff the department', () => {
    // NOW is Monday 11:30 in Stockholm; Anna answers mornings until 11:00, Bo afternoons from 13:00
    const mornings = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '11:00' }];
    const afternoons = [{ days: [1, 2, 3, 4, 5], from: '13:00', to: '16:00' }];
    const anna = { ...available, phoneHours: mornings };
    const bo = { ...available, phoneHours: afternoons };
    const s = summarise({ phoneHours: hours, mustAnswer: false }, [anna, bo], NOW, STOCKHOLM);
    expect(s).toMatchObject({ available: 2, staffed: 0, alarm: 'all-away' });
    // at 10:00 Anna is in her hours; someone without hours of their own follows the department's
    expect(
      summarise({ phoneHours: hours, mustAnswer: false }, [anna, bo], NOW - 90 * MIN, STOCKHOLM),
    ).toMatchObject({
      staffed: 1,
      alarm: null,
    });
    expect(
      summarise({ phoneHours: hours, mustAnswer: false }, [bo, available], NOW, STOCKHOLM).alarm,
    ).toBeNull();
  });

  it('a listed holiday is outside phone hours: Christmas Eve on a Thursday raises no all-away alarm', () => {
    const christmasEve = Date.parse('2026-12-24T10:00:00.000Z');
    const org = { timeZone: STO, holidays: ['2026-12-24', '2026-12-25'] };
    const rows = [away(null)];
    expect(summarise({ phoneHours: hours, mustAnswer: false }, rows, christmasEve, org)).toMatchObject({
      open: false,
      alarm: null,
    });
    // the day before is a working day: the same department alarms
    expect(
      summarise({ phoneHours: hours, mustAnswer: false }, rows, christmasEve - 86_400_000, org).alarm,
    ).toBe('all-away');
    // a must-answer function without hours answers on holidays too
    expect(summarise({ phoneHours: [], mustAnswer: true }, rows, christmasEve, org).alarm).toBe(
      'must-answer',
    );
  });
});

/** A tally with its timed rows as a set: the same rows, in whatever order they were kept. */
const plain = (t: ReturnType<typeof tallyRows>) => ({ ...t, timed: new Set(t.timed ?? []) });

describe('tallies kept as rows change', () => {
  const DEPTS = ['a', 'b', null];
  const row = fc.record({
    org: fc.constantFrom('o1', 'o2'),
    department: fc.constantFrom(...DEPTS),
    status: fc.constantFrom('available' as const, 'away' as const, null),
    reason: fc.constant(null),
    until: fc.option(
      fc.integer({ min: -30, max: 30 }).map((m) => new Date(NOW + m * MIN).toISOString()),
      { nil: null },
    ),
    online: fc.constantFrom(true, false, null),
    phoneHours: fc.constantFrom<PhoneHours[] | null>(
      null,
      [],
      [{ days: [1, 2, 3], from: '08:00', to: '12:00' }],
    ),
  });
  const op = fc.oneof(
    fc.record({ op: fc.constant('put' as const), key: fc.integer({ min: 0, max: 30 }), row }),
    fc.record({ op: fc.constant('remove' as const), key: fc.integer({ min: 0, max: 30 }) }),
    // mostly forward, sometimes back (a clock adjusted)
    fc.record({ op: fc.constant('tick' as const), minutes: fc.integer({ min: -5, max: 20 }) }),
  );

  it('equal a full recount after any sequence of puts, removals and ticks', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const tallies = new Tallies();
        const rows = new Map<string, TallyRow>();
        let now = NOW - 20 * MIN;
        for (const o of ops) {
          if (o.op === 'put') {
            // a fresh object per put, as the page makes one per delta
            const r = { ...o.row };
            rows.set(String(o.key), r);
            tallies.put(String(o.key), r);
          } else if (o.op === 'remove') {
            rows.delete(String(o.key));
            tallies.remove(String(o.key));
          } else now += o.minutes * MIN;
          const all = [...rows.values()];
          const recount = { available: 0, away: 0, overdue: 0, unknown: 0, offline: 0 };
          for (const r of all) {
            recount[stateOf(r, now)]++;
            if (r.online === false) recount.offline++;
          }
          // every person is in exactly one state counter: the header's counters add up to "people"
          expect(tallies.counts(now)).toEqual(recount);
          for (const org of ['o1', 'o2'])
            for (const dept of DEPTS.filter((d) => d !== null))
              expect(plain(tallies.department(`${org}/${dept}`, now))).toEqual(
                plain(
                  tallyRows(
                    all.filter((r) => r.org === org && r.department === dept),
                    now,
                  ),
                ),
              );
        }
      }),
      { numRuns: 300 },
    );
  });
});
