// The Graph adapter against recorded calendarView responses (two pages), replayed by a local HTTP
// server: no Microsoft 365 tenant is reachable from the tests.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCalendar } from './calendar-entries.js';
import { graphSource } from './graph-source.js';
import { SourceError } from './source.js';

const page = (n: number) => readFileSync(`test/fixtures/calendar/graph-page${n}.json`, 'utf8');
const window = { from: new Date('2027-03-28T00:00:00Z'), to: new Date('2027-04-30T00:00:00Z') };

describe('Microsoft Graph calendarView (recorded responses)', () => {
  let server: Server;
  let base: string;
  const requests: { url: string; auth: string | undefined; prefer: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({
        url: req.url ?? '',
        auth: req.headers.authorization,
        prefer: String(req.headers.prefer),
      });
      if (req.headers.authorization !== 'Bearer good-token') return void res.writeHead(401).end('{}');
      const body = req.url?.includes('skiptoken')
        ? page(2)
        : page(1).replace('NEXT_LINK', `${base}/users/anna%40arjeplog.se/calendarView?$skiptoken=2`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('follows the pages and gives entries like any feed: private, cancelled, all-day, escaped subjects', async () => {
    const source = graphSource({ user: 'anna@arjeplog.se', token: () => 'good-token', base });
    const result = await source.fetch({}, window);
    if (!result.changed) throw new Error('expected data');
    expect(requests).toHaveLength(2);
    expect(requests[0]?.url).toMatch(
      /^\/users\/anna%40arjeplog\.se\/calendarView\?startDateTime=2027-03-28T00/,
    );
    expect(requests[0]?.prefer).toBe('outlook.timezone="UTC"');
    const entries = result.calendars.flatMap((c) => parseCalendar(c, window, 'Europe/Stockholm'));
    expect(
      entries.map((e) => [e.summary, e.start.toISOString(), e.end.toISOString(), e.private, e.allDay]),
    ).toEqual([
      ['SAM: Ledningsgrupp', '2027-03-29T07:00:00.000Z', '2027-03-29T08:00:00.000Z', false, false],
      ['Lunch: med Per, Kåre; Lisa', '2027-03-29T08:00:00.000Z', '2027-03-29T09:00:00.000Z', false, false],
      ['UTE: tandläkare', '2027-03-30T12:00:00.000Z', '2027-03-30T13:00:00.000Z', true, false],
      // all-day: the days in the organisation's zone, 1-2 April
      ['SEM: Påsk', '2027-03-31T22:00:00.000Z', '2027-04-02T22:00:00.000Z', false, true],
    ]);
  });

  it('refuses an expired token with the HTTP status', async () => {
    const source = graphSource({ user: 'anna@arjeplog.se', token: () => 'expired', base });
    await expect(source.fetch({}, window)).rejects.toThrow(SourceError);
    await expect(source.fetch({}, window)).rejects.toThrow('HTTP 401');
  });
});
