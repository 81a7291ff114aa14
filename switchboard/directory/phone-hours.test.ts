import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPhoneHours, parsePhoneHours } from './phone-hours.js';

const clock = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const hours = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    a: clock,
    b: clock,
  })
  .filter(({ a, b }) => a !== b)
  .map(({ days, a, b }) => {
    const [from, to] = [a, b].sort() as [string, string];
    return { days: [...days].sort((x, y) => x - y), from, to };
  });

describe('parsePhoneHours', () => {
  it('reads back what formatPhoneHours writes', () => {
    fc.assert(
      fc.property(fc.array(hours, { maxLength: 6 }), (list) => {
        expect(parsePhoneHours(formatPhoneHours(list))).toEqual({ ok: true, value: list });
      }),
    );
  });

  it('reads English ranges and lists, several entries separated by ;', () => {
    expect(parsePhoneHours('mon-fri 08:00-16:00; tue,thu 13:00-15:00')).toEqual({
      ok: true,
      value: [
        { days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' },
        { days: [2, 4], from: '13:00', to: '15:00' },
      ],
    });
  });

  it('reads Swedish and Danish day names, dotted times, en dashes and line breaks', () => {
    expect(parsePhoneHours('Mån–Fre 8.00–11.30\nTis, tor 13:00 - 14:00; lør-søn 10.00-12.00')).toEqual({
      ok: true,
      value: [
        { days: [1, 2, 3, 4, 5], from: '08:00', to: '11:30' },
        { days: [2, 4], from: '13:00', to: '14:00' },
        { days: [6, 7], from: '10:00', to: '12:00' },
      ],
    });
    expect(parsePhoneHours('måndag, onsdag-torsdag 10:00-12:00')).toEqual({
      ok: true,
      value: [{ days: [1, 3, 4], from: '10:00', to: '12:00' }],
    });
  });

  it('an empty cell is no phone hours', () => {
    expect(parsePhoneHours('  ')).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['mon-fri', 'expected days and a time range'],
    ['funday 08:00-16:00', 'unknown day "funday"'],
    ['fri-mon 08:00-16:00', 'runs backwards'],
    ['mon 16:00-08:00', 'ends at or before it starts'],
    ['mon 08:00-24:00', 'bad time "24:00"'],
    ['mon 08:00', 'bad time range'],
  ])('refuses %j', (text, reason) => {
    const result = parsePhoneHours(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});
