// The department panel's pure parts (departments.ts): who is in and who is away by return time, the
// phone hours of today and of the week, and each department's rows kept by the tallies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hoursToday, roster, type TallyRow, tallyRows, weekHours } from './departments.js';
import { stateOf } from './format.js';
import { Tallies } from './tallies.js';

const NOW = Date.parse('2026-11-23T10:30:00.000Z'); // a Monday, 11:30 in Stockholm
const MIN = 60_000;

const person = fc.record({
  name: fc.constantFrom('Anna', 'Bertil', 'Cecilia', 'David', 'Eva', 'Åsa'),
  ext: fc.integer({ min: 2100, max: 2199 }).map(String),
  status: fc.constantFrom('available' as const, 'away' as const, null),
  reason: fc.constant(null),
  until: fc.option(
    fc.integer({ min: -90, max: 600 }).map((m) => new Date(NOW + m * MIN).toISOString()),
    { nil: null },
  ),
});

describe('roster', () => {
  it('parts everyone into in, away and unknown; the next person back first, then overdue, then until further notice', () => {
    fc.assert(
      fc.property(fc.array(person, { maxLength: 20 }), (rows) => {
        const r = roster(rows, NOW);
        expect(r.in.length + r.away.length + r.unknown.length).toBe(rows.length);
        expect(r.in.every((p) => p.status === 'available')).toBe(true);
        expect(r.away.every((p) => p.status === 'away')).toBe(true);
        expect(r.unknown.every((p) => p.status === null)).toBe(true);
        const tally = tallyRows(rows, NOW);
        expect(r.in.length).toBe(tally.available);
        // the first away is the next back, when anyone has a future return time
        const first = r.away[0];
        if (tally.nextBack !== null) expect(first && Date.parse(first.until ?? '')).toBe(tally.nextBack);
        // groups in order: away with a time (earliest first), overdue (least late first), no time
        const group = (p: (typeof rows)[number]) =>
          p.until === null ? 2 : stateOf(p, NOW) === 'overdue' ? 1 : 0;
        for (let i = 1; i < r.away.length; i++) {
          const a = r.away[i - 1] as (typeof rows)[number];
          const b = r.away[i] as (typeof rows)[number];
          expect(group(a)).toBeLessThanOrEqual(group(b));
          if (group(a) === group(b) && group(a) === 0)
            expect(Date.parse(a.until ?? '')).toBeLessThanOrEqual(Date.parse(b.until ?? ''));
          if (group(a) === group(b) && group(a) === 1)
            expect(Date.parse(a.until ?? '')).toBeGreaterThanOrEqual(Date.parse(b.until ?? ''));
        }
        for (let i = 1; i < r.in.length; i++)
          expect((r.in[i - 1]?.name ?? '') <= (r.in[i]?.name ?? '')).toBe(true);
      }),
    );
  });

  it('orders names with the comparison given (Swedish: Å after Z)', () => {
    const sv = new Intl.Collator('sv');
    const rows = ['Åsa', 'Zara', 'Anna'].map((name) => ({
      name,
      status: 'available' as const,
      reason: null,
      until: null,
    }));
    expect(roster(rows, NOW, (a, b) => sv.compare(a.name, b.name)).in.map((p) => p.name)).toEqual([
      'Anna',
      'Zara',
      'Åsa',
    ]);
  });
});

describe('phone hours', () => {
  const hours = [
    { days: [1, 2, 3, 4], from: '08:00', to: '16:00' },
    { days: [5], from: '08:00', to: '12:00' },
    { days: [1, 3], from: '17:00', to: '19:00' },
  ];

  it("lists today's windows in the organisation's time zone, in order", () => {
    expect(hoursToday([...hours].reverse(), NOW, { timeZone: 'Europe/Stockholm' })).toEqual([
      { from: '08:00', to: '16:00' },
      { from: '17:00', to: '19:00' },
    ]);
    const friday = NOW + 4 * 24 * 60 * MIN;
    expect(hoursToday(hours, friday, { timeZone: 'Europe/Stockholm' })).toEqual([
      { from: '08:00', to: '12:00' },
    ]);
    // Sunday 23:30 UTC is already Monday in Stockholm
    expect(
      hoursToday(hours, Date.parse('2026-11-22T23:30:00.000Z'), { timeZone: 'Europe/Stockholm' }),
    ).toHaveLength(2);
    expect(hoursToday(hours, Date.parse('2026-11-22T23:30:00.000Z'), { timeZone: 'UTC' })).toEqual([]);
  });

  it('reads the week in the language given', () => {
    expect(weekHours(hours, ['mån', 'tis', 'ons', 'tor', 'fre', 'lör', 'sön'])).toBe(
      'mån–tor 08:00–16:00, fre 08:00–12:00, mån, ons 17:00–19:00',
    );
    expect(
      weekHours([{ days: [6, 7], from: '10:00', to: '14:00' }], ['M', 'T', 'W', 'T', 'F', 'Sat', 'Sun']),
    ).toBe('Sat, Sun 10:00–14:00');
    expect(weekHours([], [])).toBe('');
  });
});

describe("a department's rows kept by the tallies", () => {
  const row = fc.record({
    org: fc.constant('o'),
    department: fc.constantFrom('a', 'b', null),
    status: fc.constantFrom('available' as const, 'away' as const, null),
    reason: fc.constant(null),
    until: fc.constant(null),
    online: fc.constant(null),
  });
  const op = fc.oneof(
    fc.record({ key: fc.integer({ min: 0, max: 12 }), row: fc.option(row, { nil: undefined }) }),
    fc.record({ key: fc.integer({ min: 0, max: 12 }), row: fc.constant(undefined) }),
  );

  it('equal the rows in that department after any puts and removals; its version changes with them', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const tallies = new Tallies();
        const rows = new Map<string, TallyRow>();
        for (const o of ops) {
          const key = String(o.key);
          const before = { a: tallies.version('o/a'), b: tallies.version('o/b') };
          const old = rows.get(key);
          if (o.row) {
            const r = { ...o.row };
            rows.set(key, r);
            tallies.put(key, r);
          } else {
            rows.delete(key);
            tallies.remove(key);
          }
          for (const d of ['a', 'b'] as const) {
            const expected = [...rows.values()].filter((r) => r.department === d);
            const members = [...tallies.members(`o/${d}`)];
            expect(members).toHaveLength(expected.length);
            for (const r of expected) expect(members).toContain(r); // the same row objects
            const touched = old?.department === d || (o.row !== undefined && o.row.department === d);
            if (touched) expect(tallies.version(`o/${d}`)).not.toBe(before[d]);
            else expect(tallies.version(`o/${d}`)).toBe(before[d]);
          }
        }
        expect([...tallies.members('o/none')]).toEqual([]);
      }),
    );
  });
});
