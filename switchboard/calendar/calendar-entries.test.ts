import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CalendarEntry, FeedError, parseCalendar } from './calendar-entries.js';

const fixture = (name: string) => readFileSync(`test/fixtures/calendar/${name}`, 'utf8');
const window = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
const iso = (e: CalendarEntry) => [e.summary, e.start.toISOString(), e.end.toISOString()];

describe('iCalendar entries (ical.js)', () => {
  const arjeplog = fixture('arjeplog.ics');

  it('expands a weekly meeting in Stockholm time across the 2027-03-28 clock change', () => {
    const entries = parseCalendar(arjeplog, window('2027-03-22T00:00:00Z', '2027-03-30T00:00:00Z'), 'UTC');
    const meetings = entries.filter((e) => e.uid === 'ledning@arjeplog').map(iso);
    expect(meetings).toEqual([
      ['SAM: Ledningsgrupp', '2027-03-22T08:00:00.000Z', '2027-03-22T09:00:00.000Z'], // CET
      ['SAM: Ledningsgrupp', '2027-03-29T07:00:00.000Z', '2027-03-29T08:00:00.000Z'], // CEST
    ]);
  });

  it('drops an EXDATE, moves an occurrence by RECURRENCE-ID and drops a cancelled one', () => {
    const entries = parseCalendar(arjeplog, window('2027-04-05T00:00:00Z', '2027-04-27T00:00:00Z'), 'UTC');
    expect(entries.filter((e) => e.uid === 'ledning@arjeplog').map(iso)).toEqual([
      ['SAM: Ledningsgrupp (flyttad)', '2027-04-12T11:00:00.000Z', '2027-04-12T12:30:00.000Z'],
      ['SAM: Ledningsgrupp', '2027-04-26T07:00:00.000Z', '2027-04-26T08:00:00.000Z'],
    ]);
  });

  it('keeps private and unprefixed entries for the caller to judge, and drops cancelled ones', () => {
    const entries = parseCalendar(arjeplog, window('2027-03-16T00:00:00Z', '2027-03-18T00:00:00Z'), 'UTC');
    expect(entries.map((e) => [e.uid, e.private])).toEqual([
      ['tandlakare@arjeplog', true],
      ['gym@arjeplog', false],
    ]);
  });

  it('reads an all-day vacation over New Year as local midnights in the org zone', () => {
    const entries = parseCalendar(
      arjeplog,
      window('2027-01-01T00:00:00Z', '2027-01-02T00:00:00Z'),
      'Europe/Stockholm',
    );
    const vacation = entries.find((e) => e.uid === 'semester@arjeplog');
    expect(vacation && iso(vacation)).toEqual([
      'SEM: Jul',
      '2026-12-20T23:00:00.000Z',
      '2027-01-06T23:00:00.000Z',
    ]);
    expect(vacation?.allDay).toBe(true);
  });

  it("uses Exchange's VTIMEZONE for a Windows zone name, across the 2027-10-31 change", () => {
    const entries = parseCalendar(
      fixture('exchange.ics'),
      window('2027-10-20T00:00:00Z', '2027-11-10T00:00:00Z'),
      // an org zone other than the feed's, so only the VTIMEZONE can give these offsets
      'UTC',
    );
    expect(entries.map(iso)).toEqual([
      ['MØDE: Udvalg', '2027-10-25T07:00:00.000Z', '2027-10-25T08:00:00.000Z'],
      // floating time: the organisation's zone
      ['Trip: Nykøbing', '2027-10-27T09:00:00.000Z', '2027-10-27T09:30:00.000Z'],
      ['MØDE: Udvalg', '2027-11-01T08:00:00.000Z', '2027-11-01T09:00:00.000Z'],
      ['MØDE: Udvalg', '2027-11-08T08:00:00.000Z', '2027-11-08T09:00:00.000Z'],
    ]);
  });

  it.each([
    ['HTML', '<html>404</html>'],
    ['a vCard', 'BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n'],
    ['an unclosed calendar', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n'],
  ])('refuses %s with a reason', (_, text) => {
    expect(() => parseCalendar(text, window('2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z'), 'UTC')).toThrow(
      FeedError,
    );
  });
});
