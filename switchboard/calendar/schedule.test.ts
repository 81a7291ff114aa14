import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { parseCalendar } from './calendar-entries.js';
import { prefixRules } from './prefixes.js';
import { scheduleFrom } from './schedule.js';

const policy = { ...DEFAULT_POLICY, holidays: ['2027-01-06'] };
const arjeplog = readFileSync('test/fixtures/calendar/arjeplog.ics', 'utf8');
const iso = (ms: number) => new Date(ms).toISOString();

describe('a schedule from calendar entries', () => {
  const options = { rules: prefixRules(['sv']), gapMinutes: 0, calendar: policy };

  it('merges the Monday meeting and the lunch after it; the private appointment is its own; the gym is nothing', () => {
    const window = { from: new Date('2027-03-15T00:00:00Z'), to: new Date('2027-03-17T00:00:00Z') };
    const blocks = scheduleFrom(parseCalendar(arjeplog, window, policy.timeZone), options);
    expect(
      blocks.map((b) => [iso(b.start), iso(b.end), b.members.map((m) => [m.reason, m.private])]),
    ).toEqual([
      [
        '2027-03-15T08:00:00.000Z',
        '2027-03-15T10:00:00.000Z',
        [
          ['meeting', false],
          ['lunch', false],
        ],
      ],
      ['2027-03-16T12:00:00.000Z', '2027-03-16T13:00:00.000Z', [['out', true]]],
    ]);
  });

  it('gives the Christmas vacation its return date: 7 January 08:00, after trettondedag', () => {
    const window = { from: new Date('2026-12-20T00:00:00Z'), to: new Date('2027-01-10T00:00:00Z') };
    const [vacation] = scheduleFrom(parseCalendar(arjeplog, window, policy.timeZone), options);
    expect(vacation && [iso(vacation.start), iso(vacation.end), vacation.members[0]?.reason]).toEqual([
      '2026-12-20T23:00:00.000Z',
      '2027-01-07T07:00:00.000Z',
      'vacation',
    ]);
  });

  it('with a gap allowed, entries a few minutes apart are one absence', () => {
    const window = { from: new Date('2027-03-16T00:00:00Z'), to: new Date('2027-03-17T00:00:00Z') };
    const entries = parseCalendar(arjeplog, window, policy.timeZone).map((e) => ({
      ...e,
      summary: 'SAM: x',
    }));
    expect(scheduleFrom(entries, { ...options, gapMinutes: 120 })).toHaveLength(1);
    expect(scheduleFrom(entries, options)).toHaveLength(2);
  });
});
