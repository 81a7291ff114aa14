// The calendar sources against real servers: Radicale (Debian) for CalDAV, a local HTTP server for a
// published ICS link with ETag, and a file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calDavSource } from '../../switchboard/calendar/caldav-source.js';
import { parseCalendar } from '../../switchboard/calendar/calendar-entries.js';
import { icsFileSource, icsUrlSource } from '../../switchboard/calendar/ics-source.js';
import { SourceError } from '../../switchboard/calendar/source.js';
import { splitByUid, vcalendar, vevent } from '../support/ics.js';
import { type Radicale, startRadicale } from '../support/radicale.js';

const arjeplog = readFileSync('test/fixtures/calendar/arjeplog.ics', 'utf8');
const april = { from: new Date('2027-04-05T00:00:00Z'), to: new Date('2027-04-27T00:00:00Z') };
const summaries = (calendars: string[]) =>
  calendars
    .flatMap((c) => parseCalendar(c, april, 'Europe/Stockholm'))
    .map((e) => `${e.summary} ${e.start.toISOString()}`)
    .sort();

describe('CalDAV against a real Radicale', () => {
  let radicale: Radicale;
  let collection: string;
  beforeAll(async () => {
    radicale = await startRadicale();
    collection = await radicale.createCalendar('work');
    for (const [uid, ics] of splitByUid(arjeplog))
      await radicale.putEvent(collection, uid.replace(/\W/g, '-'), ics);
  }, 60_000);
  afterAll(async () => {
    await radicale?.dispose();
  });

  it('reads the series with its moved and cancelled occurrences, then only asks whether anything changed', async () => {
    const source = calDavSource({
      url: collection,
      username: radicale.username,
      password: radicale.password,
    });
    const first = await source.fetch({}, april);
    if (!first.changed) throw new Error('expected data');
    expect(summaries(first.calendars)).toEqual(summaries([arjeplog]));
    expect(summaries(first.calendars)).toContain('SAM: Ledningsgrupp (flyttad) 2027-04-12T11:00:00.000Z');
    expect(await source.fetch(first.validators, april)).toEqual({ changed: false });

    const start = Date.parse('2027-04-14T08:00:00Z');
    await radicale.putEvent(
      collection,
      'new',
      vcalendar(vevent('new@arjeplog', 'TJÄ: Luleå', start, start + 8 * 3600_000)),
    );
    const second = await source.fetch(first.validators, april);
    if (!second.changed) throw new Error('the new event went unnoticed');
    expect(summaries(second.calendars)).toContain('TJÄ: Luleå 2027-04-14T08:00:00.000Z');
  });

  it('refuses a wrong password and an unreachable server with a reason', async () => {
    const wrong = calDavSource({ url: collection, username: radicale.username, password: 'nope' });
    await expect(wrong.fetch({}, april)).rejects.toThrow(/HTTP 401/);
    const gone = calDavSource({ url: 'http://127.0.0.1:9/anna/work/' });
    await expect(gone.fetch({}, april)).rejects.toBeInstanceOf(SourceError);
  });
});

describe('a published ICS link', () => {
  let server: Server;
  let url: string;
  let body = vcalendar(
    vevent('a', 'SAM: a', Date.parse('2027-04-06T08:00:00Z'), Date.parse('2027-04-06T09:00:00Z')),
  );
  let status = 200;
  const served: number[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (status !== 200) {
        served.push(status);
        res.writeHead(status).end('nope');
      } else if (req.headers['if-none-match'] === etag) {
        served.push(304);
        res.writeHead(304).end();
      } else {
        served.push(200);
        res.writeHead(200, { 'content-type': 'text/calendar', etag }).end(body);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/owa/calendar/secret-token/reachcalendar.ics`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends If-None-Match and takes 304 as unchanged; a new body as changed', async () => {
    const source = icsUrlSource(url);
    expect(source.label).not.toContain('reachcalendar');
    const first = await source.fetch({}, april);
    if (!first.changed) throw new Error('expected data');
    expect(await source.fetch(first.validators, april)).toEqual({ changed: false });
    body = vcalendar(
      vevent('b', 'SAM: b', Date.parse('2027-04-07T08:00:00Z'), Date.parse('2027-04-07T09:00:00Z')),
    );
    expect((await source.fetch(first.validators, april)).changed).toBe(true);
    expect(served).toEqual([200, 304, 200]);
  });

  it('says which HTTP status it got', async () => {
    status = 404;
    await expect(icsUrlSource(url).fetch({}, april)).rejects.toThrow('HTTP 404');
    status = 200;
  });

  it('refuses what is not http(s) or webcal', () => {
    expect(() => icsUrlSource('ftp://example.se/cal.ics')).toThrow(SourceError);
    expect(icsUrlSource('webcal://example.se/cal.ics').label).toBe('https://example.se/cal.ics');
  });
});

describe('an ICS file', () => {
  it('is read again only when it changed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hanvisa-ics-'));
    try {
      const path = join(dir, '2101.ics');
      await writeFile(path, arjeplog);
      const source = icsFileSource(path);
      const first = await source.fetch({}, april);
      if (!first.changed) throw new Error('expected data');
      expect(await source.fetch(first.validators, april)).toEqual({ changed: false });
      await utimes(path, new Date(), new Date(Date.now() + 5000));
      expect((await source.fetch(first.validators, april)).changed).toBe(true);
      await expect(icsFileSource(join(dir, 'missing.ics')).fetch({}, april)).rejects.toThrow(
        `no such file: ${join(dir, 'missing.ics')}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
