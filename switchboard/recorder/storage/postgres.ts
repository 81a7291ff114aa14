// The production store: PostgreSQL through node-postgres (`pg`), a small pool. Events go in as one
// multi-row INSERT per batch; BIGINT columns come back as strings and are read with Number (ms and
// receipt orders stay far below 2^53).
import pg from 'pg';
import type { AlarmRow, DailyRow } from '../figures/rows.js';
import type { DailyQuery, RecorderSession, RollupState, Storage } from './port.js';
import {
  DAILY_COLUMNS,
  dailyFrom,
  dailyUpsert,
  dailyValues,
  dailyWhere,
  eventFrom,
  eventValues,
  marksFrom,
  marksUpsert,
  operatorChangesSql,
  ordRange,
} from './rows-sql.js';
import { MIGRATIONS } from './schema.js';
import { sessionOfRow, sessionOrgsColumn } from './session-row.js';

const p = (i: number) => `$${i}`;
/** Postgres takes at most 65,535 parameters a statement: 7 per event. */
const EVENTS_PER_INSERT = 5000;
/** The advisory lock key of migrate() (per database): "hanv" in ASCII. */
const MIGRATE_LOCK = 0x68616e76;

/**
 * The multi-row INSERT of `rows` events. Building its text cost ~1.8 µs an event (issue 26), so the
 * texts of the last few sizes are kept: a full batch (2,000) recurs under load.
 */
const insertTexts = new Map<number, string>();
function insertSql(rows: number): string {
  let sql = insertTexts.get(rows);
  if (sql !== undefined) return sql;
  const values = Array.from(
    { length: rows },
    (_, j) => `(${[1, 2, 3, 4, 5, 6, 7].map((k) => `$${j * 7 + k}`).join(', ')})`,
  );
  sql = `INSERT INTO events (id, org, ord, at, kind, subject, body) VALUES ${values.join(', ')} ON CONFLICT (id) DO NOTHING`;
  if (insertTexts.size >= 8) insertTexts.clear();
  insertTexts.set(rows, sql);
  return sql;
}

export function openPostgres(connectionString: string, options: { max?: number } = {}): Storage {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 4 });
  // An idle client's error (the server restarted) must not take the process down; the next query reconnects.
  pool.on('error', () => {});

  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  };

  return {
    dialect: 'postgres',
    async migrate() {
      // A board and a recorder starting together both migrate: one at a time under a transaction's
      // advisory lock, taken before anything is read or created (two CREATE TABLE IF NOT EXISTS at once
      // collide in the catalogue), so the second waits for the first and then finds it done.
      await transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
        await c.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
        );
        const done = await c.query('SELECT version FROM schema_migrations');
        const applied = new Set(done.rows.map((r: { version: number }) => r.version));
        for (const m of MIGRATIONS) {
          if (applied.has(m.version)) continue;
          for (const s of m.statements) await c.query(s);
          await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
            m.version,
            Date.now(),
          ]);
        }
      });
      return Math.max(0, ...MIGRATIONS.map((m) => m.version));
    },
    async append(events) {
      if (events.length === 0) return 0;
      return transaction(async (c) => {
        let added = 0;
        for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
          const chunk = events.slice(i, i + EVENTS_PER_INSERT);
          const result = await c.query(insertSql(chunk.length), chunk.flatMap(eventValues));
          added += result.rowCount ?? 0;
        }
        // last: the mark's row lock is held only to the commit, so marks follow the commit order
        await c.query(marksUpsert(p, 'GREATEST'), ordRange(events));
        return added;
      });
    },
    async eventMarks() {
      const r = await pool.query('SELECT * FROM event_marks WHERE id = 1');
      return marksFrom(r.rows[0]);
    },
    async events(org, fromOrd, toOrd) {
      const r = await pool.query(
        "SELECT * FROM events WHERE org IN ($1, '') AND ord >= $2 AND ord < $3 ORDER BY ord",
        [org, fromOrd, toOrd],
      );
      return r.rows.map(eventFrom);
    },
    async firstOrd(org) {
      const r = await pool.query('SELECT MIN(ord) AS ord FROM events WHERE org = $1', [org]);
      const ord = r.rows[0]?.ord as string | null | undefined;
      return ord === null || ord === undefined ? undefined : Number(ord);
    },
    async lastOrd() {
      const r = await pool.query('SELECT MAX(ord) AS ord FROM events');
      const ord = r.rows[0]?.ord as string | null | undefined;
      return ord === null || ord === undefined ? undefined : Number(ord);
    },
    async operatorChanges(org, ext, limit) {
      const r = await pool.query(operatorChangesSql(p, "(body::jsonb #>> '{by,kind}')"), [org, ext, limit]);
      return r.rows.map((row: { body: string }) => JSON.parse(row.body));
    },
    async orgs() {
      const r = await pool.query("SELECT DISTINCT org FROM events WHERE org <> ''");
      return r.rows.map((row: { org: string }) => row.org);
    },
    async upsertSession(s: RecorderSession) {
      await pool.query(
        'INSERT INTO recorder_sessions (id, started_at, last_seen, stopped_at, orgs) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen, stopped_at = excluded.stopped_at',
        [s.id, s.startedAt, s.lastSeen, s.stoppedAt, sessionOrgsColumn(s)],
      );
    },
    async sessions() {
      const r = await pool.query('SELECT * FROM recorder_sessions ORDER BY started_at');
      return r.rows.map(sessionOfRow);
    },
    async rollupState(org) {
      const r = await pool.query('SELECT * FROM rollups WHERE org = $1', [org]);
      const row = r.rows[0] as { through: string; state: string } | undefined;
      return row ? { org, through: Number(row.through), state: JSON.parse(row.state) } : undefined;
    },
    async rollupThrough(org) {
      const r = await pool.query('SELECT through FROM rollups WHERE org = $1', [org]);
      const row = r.rows[0] as { through: string } | undefined;
      return row ? Number(row.through) : undefined;
    },
    async saveRollup(state: RollupState, rows: readonly DailyRow[], alarms: readonly AlarmRow[]) {
      await transaction(async (c) => {
        const upsert = dailyUpsert(p);
        for (const row of rows) await c.query(upsert, dailyValues(row));
        for (const a of alarms)
          await c.query(
            'INSERT INTO alarms (org, department, kind, started_at, ended_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org, department, started_at) DO UPDATE SET kind = excluded.kind, ended_at = excluded.ended_at',
            [a.org, a.department, a.kind, a.startedAt, a.endedAt],
          );
        await c.query(
          'INSERT INTO rollups (org, through, state) VALUES ($1, $2, $3) ON CONFLICT (org) DO UPDATE SET through = excluded.through, state = excluded.state',
          [state.org, state.through, JSON.stringify(state.state)],
        );
      });
    },
    async daily(query: DailyQuery) {
      const { where, params } = dailyWhere(query, p);
      const r = await pool.query(
        `SELECT ${DAILY_COLUMNS.join(', ')} FROM daily WHERE ${where} ORDER BY day, department, ext`,
        params,
      );
      return r.rows.map(dailyFrom);
    },
    async alarms(org, fromMs, toMs, department) {
      const r = await pool.query(
        `SELECT * FROM alarms WHERE org = $1 AND ended_at > $2 AND started_at < $3${department !== undefined ? ' AND department = $4' : ''} ORDER BY started_at`,
        [org, fromMs, toMs, ...(department !== undefined ? [department] : [])],
      );
      return r.rows.map((row: Record<string, string>) => ({
        org: String(row.org),
        department: String(row.department),
        kind: row.kind as AlarmRow['kind'],
        startedAt: Number(row.started_at),
        endedAt: Number(row.ended_at),
      }));
    },
    async purgePersonRows(org, beforeDay) {
      const r = await pool.query("DELETE FROM daily WHERE org = $1 AND ext <> '' AND day < $2", [
        org,
        beforeDay,
      ]);
      return r.rowCount ?? 0;
    },
    async eventsOfKinds(org, kinds, beforeOrd) {
      const r = await pool.query(
        'SELECT * FROM events WHERE org = $1 AND ord < $2 AND kind = ANY($3) ORDER BY ord',
        [org, beforeOrd, kinds],
      );
      return r.rows.map(eventFrom);
    },
    async purgeEvents(org, kinds, beforeOrd) {
      const r = await pool.query('DELETE FROM events WHERE org = $1 AND ord < $2 AND kind = ANY($3)', [
        org,
        beforeOrd,
        kinds,
      ]);
      return r.rowCount ?? 0;
    },
    async close() {
      await pool.end();
    },
  };
}
