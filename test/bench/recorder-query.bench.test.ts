// Statistics queries (issue 11): an organisation of 50,000 people in 100 departments of 500, a year of
// daily department figures and 30 days of per-person rows (the retention), in SQLite and in a real
// PostgreSQL. Figures: the statistics API's answer (statsReport: rows, live replay, report) for one
// department over a year with its people, and for the whole organisation over a year. Baseline, same
// run and store: the bare SELECT of the same rows, without building the report.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsReport } from '../../switchboard/recorder/stats.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
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
});
