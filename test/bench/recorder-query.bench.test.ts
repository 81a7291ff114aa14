// Statistics queries (issue 11): an organisation of 50,000 people in 100 departments of 500, a year of
// daily department figures and 30 days of per-person rows (the retention), in SQLite and in a real
// PostgreSQL. Figures: the statistics API's answer (statsReport: rows, live replay, report) for one
// department over a year with its people, and for the whole organisation over a year. Baseline, same
// run and store: the bare SELECT of the same rows, without building the report.
// Today (issue 26): a request at the end of a day of 50,000 people's events (directory and two
// referrals each, 250,000 events from 07:00 to 17:00), today's figures kept between requests
// (TodayFigures: each request applies what came since the last, 100 new events, and answers from a
// fork), for the organisation's departments and for one department with its people; and the same
// organisation request at 08:00, when a tenth of the day is in. Baseline, same run and store: the bare
// SELECT of the same rows of a rolled-up day (what a request for yesterday reads). Beside it, for the
// reader: the first request at 17:00 of a board started then (it builds the kept timeline), the request
// that catches up with nine hours at once, and the replay per request every request paid before issue 26.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../switchboard/recorder/recorded-events.js';
import { statsReport } from '../../switchboard/recorder/stats.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
import { TodayFigures } from '../../switchboard/recorder/today.js';
import { type Postgres, startPostgres } from '../support/postgres.js';
import { percentile, writeBenchResult } from './report.js';

const ORG = 'big';
const DEPARTMENTS = 100;
const PER_DEPARTMENT = 500;
const FROM = '2025-12-03';
const TO = '2026-12-02';
const NOW = Date.parse('2026-12-02T20:00:00Z');
const RUNS = 5;

const COLUMNS =
  'org, day, department, ext, unstaffed_s, alarms, referrals, overdue, overdue_s, calls, answered, reasons, answered_waits';

const seedSqlite = (path: string) => {
  const db = new Database(path);
  db.exec(`WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 364),
    k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < ${DEPARTMENTS - 1})
    INSERT INTO daily (${COLUMNS}) SELECT '${ORG}', date('${FROM}', '+' || i || ' days'), 'd' || j, '', 600, 1, 40, 3, 900, 120, 110,
      '{"lunch":30,"meeting":10}', '{"8":60,"15":30,"40":20}' FROM d, k`);
  db.exec(`WITH RECURSIVE d(i) AS (SELECT 335 UNION ALL SELECT i + 1 FROM d WHERE i < 364),
    p(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM p WHERE n < ${DEPARTMENTS * PER_DEPARTMENT - 1})
    INSERT INTO daily (${COLUMNS}) SELECT '${ORG}', date('${FROM}', '+' || i || ' days'), 'd' || (n / ${PER_DEPARTMENT}), CAST(100000 + n AS TEXT), 0, 0, 1, 0, 0, 0, 0,
      '{"lunch":1}', '{}' FROM d, p`);
  db.close();
};

const seedPostgres = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`INSERT INTO daily (${COLUMNS}) SELECT '${ORG}', to_char(date '${FROM}' + i, 'YYYY-MM-DD'), 'd' || j, '', 600, 1, 40, 3, 900, 120, 110,
      '{"lunch":30,"meeting":10}', '{"8":60,"15":30,"40":20}' FROM generate_series(0, 364) i, generate_series(0, ${DEPARTMENTS - 1}) j`);
  await client.query(`INSERT INTO daily (${COLUMNS}) SELECT '${ORG}', to_char(date '${FROM}' + i, 'YYYY-MM-DD'), 'd' || (n / ${PER_DEPARTMENT}), (100000 + n)::text, 0, 0, 1, 0, 0, 0, 0,
      '{"lunch":1}', '{}' FROM generate_series(335, 364) i, generate_series(0, ${DEPARTMENTS * PER_DEPARTMENT - 1}) n`);
  await client.query('ANALYZE daily');
  await client.end();
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return Math.round(percentile(times, 50));
}

const TODAY = '2026-12-02';
const YESTERDAY = '2026-12-01';
const DAY_START = Date.parse('2026-12-02T06:00:00Z');
const DAY_END = Date.parse('2026-12-02T16:00:00Z');
/** 08:00 in Stockholm */
const MORNING = Date.parse('2026-12-02T07:00:00Z');

/** One event; ord is the receipt order (ms × 1000 + n). */
const event = (n: number, ms: number, kind: RecordedEvent['kind'], subject: string, body: unknown) =>
  ({ id: `t${n}`, org: ORG, ord: ms * 1000 + (n % 1000), at: ms, kind, subject, body }) as RecordedEvent;

/** A referral's presence body at ms (away, or available again). */
const presence = (ms: number, away: boolean, seq: number) => {
  const at = new Date(ms).toISOString();
  return {
    v: 1,
    status: away ? 'away' : 'available',
    reason: away ? (seq % 2 ? 'lunch' : 'meeting') : null,
    since: at,
    until: null,
    alt: null,
    seq,
    by: { kind: 'desk', id: 'd' },
    at,
  };
};

/** The day's events in receipt order: the directory at 07:00, then two referrals (away, back) each. */
function dayOfEvents(): RecordedEvent[] {
  const people = DEPARTMENTS * PER_DEPARTMENT;
  const list: RecordedEvent[] = [];
  let n = 0;
  for (let d = 0; d < DEPARTMENTS; d++)
    list.push(
      event(n++, DAY_START, 'directory-department', `d${d}`, {
        v: 1,
        name: `D${d}`,
        phoneHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }],
        mustAnswer: false,
      }),
    );
  for (let p = 0; p < people; p++)
    list.push(
      event(n++, DAY_START + 1, 'directory-person', String(100000 + p), {
        v: 1,
        name: `P${p}`,
        department: `d${Math.floor(p / PER_DEPARTMENT)}`,
      }),
    );
  // 200,000 changes spread evenly over the day, each person away then back twice
  const changes = people * 4;
  const step = (DAY_END - DAY_START - 10_000) / changes;
  for (let i = 0; i < changes; i++) {
    const ms = Math.floor(DAY_START + 10_000 + i * step);
    list.push(
      event(
        n++,
        ms,
        'presence',
        String(100000 + (i % people)),
        presence(ms, Math.floor(i / people) % 2 === 0, i),
      ),
    );
  }
  return list;
}

/** Yesterday, rolled up: its department rows and its people's, as the rollup stores a day. */
const YESTERDAY_ROWS = (people: string) => [
  `INSERT INTO daily (${COLUMNS}) SELECT '${ORG}', '${YESTERDAY}', 'd' || j, '', 600, 1, 40, 3, 900, 120, 110,
    '{"lunch":30,"meeting":10}', '{}' FROM k`,
  `INSERT INTO daily (${COLUMNS}) SELECT '${ORG}', '${YESTERDAY}', 'd' || (n / ${PER_DEPARTMENT}), ${people}, 0, 0, 4, 0, 0, 0, 0,
    '{"lunch":2,"meeting":2}', '{}' FROM p`,
];

async function seedYesterday(dialect: 'sqlite' | 'postgres', location: string): Promise<void> {
  const last = DEPARTMENTS * PER_DEPARTMENT - 1;
  if (dialect === 'sqlite') {
    const db = new Database(location);
    const ranges = `WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < ${DEPARTMENTS - 1}),
      p(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM p WHERE n < ${last}) `;
    for (const sql of YESTERDAY_ROWS('CAST(100000 + n AS TEXT)')) db.exec(ranges + sql);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  const ranges = `WITH k AS (SELECT generate_series(0, ${DEPARTMENTS - 1}) j), p AS (SELECT generate_series(0, ${last}) n) `;
  for (const sql of YESTERDAY_ROWS('(100000 + n)::text')) await client.query(ranges + sql);
  await client.query('ANALYZE daily');
  await client.end();
}

describe('recorder statistics queries', () => {
  let postgres: Postgres;
  let dir: string;
  beforeAll(async () => {
    [postgres, dir] = await Promise.all([startPostgres(), mkdtemp(join(tmpdir(), 'hanvisa-bench-'))]);
  });
  afterAll(async () => {
    await postgres?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a year of one department of a 50,000-person organisation within a second', async () => {
    const load = loadavg();
    const measured: Record<string, number> = {};
    const baseline: Record<string, number> = {};
    for (const name of ['sqlite', 'postgres'] as const) {
      const location = name === 'sqlite' ? join(dir, 'query.db') : await postgres.createDatabase('query');
      const storage: Storage = await openStorage(location);
      if (name === 'sqlite') seedSqlite(location);
      else await seedPostgres(location);
      const ask = (department: string | undefined, people: boolean) =>
        statsReport(storage, {
          org: ORG,
          from: FROM,
          to: TO,
          period: 'month',
          department,
          people,
          timeZone: 'Europe/Stockholm',
          now: NOW,
          thresholdSeconds: 20,
          heartbeatMs: 30_000,
        });
      const report = await ask('d42', true);
      expect(report.people?.length).toBe(PER_DEPARTMENT);
      expect(report.overall.referrals).toBe(365 * 40);
      measured[`${name}DepartmentYearMs`] = await timed(() => ask('d42', true));
      baseline[`${name}DepartmentYearMs`] = await timed(() =>
        storage.daily({ org: ORG, fromDay: FROM, toDay: TO, department: 'd42', people: true }),
      );
      measured[`${name}OrganisationYearMs`] = await timed(() => ask(undefined, false));
      baseline[`${name}OrganisationYearMs`] = await timed(() =>
        storage.daily({ org: ORG, fromDay: FROM, toDay: TO }),
      );
      await storage.close();
    }
    await writeBenchResult(
      'recorder-query',
      { ...measured, people: DEPARTMENTS * PER_DEPARTMENT, loadavg1: Number(load[0]?.toFixed(2)) },
      baseline,
      { departmentYear: 'a year of one department of 50,000 people within 1 s' },
    );
  });

  it('answers today at 17:00 as fast as a stored day', async () => {
    const load = loadavg();
    const measured: Record<string, number> = {};
    const baseline: Record<string, number> = {};
    const events = dayOfEvents();
    for (const name of ['sqlite', 'postgres'] as const) {
      const location = name === 'sqlite' ? join(dir, 'today.db') : await postgres.createDatabase('today');
      const storage: Storage = await openStorage(location);
      const append = async (list: RecordedEvent[]) => {
        for (let i = 0; i < list.length; i += 5000) await storage.append(list.slice(i, i + 5000));
      };
      // the morning first: the day up to 08:00 local
      await append(events.filter((e) => e.at < MORNING));
      await seedYesterday(name, location);
      // the recorder that recorded it, heartbeating: no gap
      const session = { id: 'r', startedAt: DAY_START - 1000, lastSeen: DAY_END, stoppedAt: null };
      await storage.upsertSession(session);
      let now = MORNING - 10_000;
      let n = events.length;
      const ask = (department: string | undefined, today?: TodayFigures) =>
        statsReport(
          storage,
          {
            org: ORG,
            from: TODAY,
            to: TODAY,
            period: 'day',
            department,
            people: department !== undefined,
            timeZone: 'Europe/Stockholm',
            now,
            thresholdSeconds: 20,
            heartbeatMs: 30_000,
          },
          today,
        );
      // between two requests: a second later, 100 more changes
      const more = async () => {
        now += 1000;
        const batch = Array.from({ length: 100 }, (_, k) =>
          event(
            n++,
            now - 500 + k,
            'presence',
            String(100000 + ((n * 7) % 50_000)),
            presence(now - 500 + k, k % 2 === 0, n),
          ),
        );
        await storage.append(batch);
        await storage.upsertSession({ ...session, lastSeen: now });
      };
      const orgBaseline = () =>
        timed(() => storage.daily({ org: ORG, fromDay: YESTERDAY, toDay: YESTERDAY, people: false }));
      const kept = new TodayFigures(storage);
      await ask(undefined, kept);
      const morning: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await more();
        const start = performance.now();
        await ask(undefined, kept);
        morning.push(performance.now() - start);
      }
      measured[`${name}TodayOrganisationAt8Ms`] = Math.round(percentile(morning, 50));
      baseline[`${name}TodayOrganisationAt8Ms`] = await orgBaseline();
      // the rest of the day; the kept figures catch up at the next request
      await append(events.filter((e) => e.at >= MORNING));
      now = DAY_END;
      await more();
      let start = performance.now();
      await ask(undefined, kept);
      measured[`${name}TodayCatchUpMs`] = Math.round(performance.now() - start);
      // a board started at 17:00 builds them from the saved state
      start = performance.now();
      const first = await ask(undefined, new TodayFigures(storage));
      measured[`${name}TodayFirstMs`] = Math.round(performance.now() - start);
      expect(first.overall.referrals).toBeGreaterThanOrEqual(100_000);
      for (const [figure, department] of [
        ['Organisation', undefined],
        ['Department', 'd42'],
      ] as const) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          await more();
          const start = performance.now();
          await ask(department, kept);
          times.push(performance.now() - start);
        }
        measured[`${name}Today${figure}Ms`] = Math.round(percentile(times, 50));
        // the same answer as the replay
        expect(await ask(department, kept)).toEqual(await ask(department));
        baseline[`${name}Today${figure}Ms`] = await timed(() =>
          storage.daily({
            org: ORG,
            fromDay: YESTERDAY,
            toDay: YESTERDAY,
            department,
            people: department !== undefined,
          }),
        );
      }
      measured[`${name}TodayReplayMs`] = await timed(() => ask(undefined));
      await storage.close();
    }
    await writeBenchResult(
      'recorder-query-today',
      {
        ...measured,
        people: DEPARTMENTS * PER_DEPARTMENT,
        events: events.length,
        loadavg1: Number(load[0]?.toFixed(2)),
      },
      baseline,
      { today: 'a request for today costs the same at 17:00 as at 08:00' },
    );
  });
});
