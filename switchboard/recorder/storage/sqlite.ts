// The default store: one SQLite file through better-sqlite3 (v12: v13 needs Node 22 and crashes on 20).
// WAL mode, so a board in another process reads while the recorder writes. Synchronous underneath;
// the port's promises keep the two adapters interchangeable.
import Database from 'better-sqlite3';
import type { AlarmRow, DailyRow } from '../figures/rows.js';
import type { DailyQuery, RollupState, Storage } from './port.js';
import {
  dailyFrom,
  dailyUpsert,
  dailyValues,
  dailyWhere,
  eventFrom,
  marksFrom,
  marksUpsert,
  operatorChangesSql,
} from './rows-sql.js';
import { MIGRATIONS } from './schema.js';
import { sessionOfRow, sessionOrgsColumn } from './session-row.js';
import { SqliteWriter } from './sqlite-writer.js';

const q = () => '?';

/** How long a write waits for another process's write (two recorders may share a store). */
const WRITE_WAIT_MS = 5000;
/** How long a migrate waits for another process's migrate: an index over months of events takes minutes. */
const MIGRATE_WAIT_MS = 10 * 60_000;

/**
 * WAL mode, retried for up to a write's wait: switching a new file needs its exclusive lock, and when
 * two processes open it at once SQLite answers one SQLITE_BUSY straight away (waiting could deadlock),
 * without the busy timeout's wait.
 */
async function walMode(db: Database.Database): Promise<void> {
  const deadline = Date.now() + WRITE_WAIT_MS;
  for (;;) {
    let mode = 'locked';
    try {
      mode = String(db.pragma('journal_mode = WAL', { simple: true }));
      if (mode === 'wal') return;
    } catch (e) {
      if (!String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw e;
    }
    if (Date.now() > deadline) throw new Error(`${db.name}: could not switch to WAL mode (${mode})`);
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
  }
}

export async function openSqlite(path: string): Promise<Storage> {
  const db = new Database(path, { timeout: WRITE_WAIT_MS });
  await walMode(db).catch((e: unknown) => {
    db.close();
    throw e;
  });
  // WAL + NORMAL: a power cut may lose the last transactions, never corrupt the file.
  db.pragma('synchronous = NORMAL');
  const tx = <A extends unknown[]>(fn: (...args: A) => void) => db.transaction(fn);

  const writer = new SqliteWriter({
    path,
    timeoutMs: WRITE_WAIT_MS,
    // one row a statement: 100 rows a statement measured 9 µs of CPU an event against 6.5 (issue 26)
    insertSql:
      'INSERT INTO events (id, org, ord, at, kind, subject, body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    marksSql: marksUpsert(q, 'max'),
  });
  let prepared: ReturnType<typeof prepare> | undefined;
  const prepare = () => ({
    upsertDaily: db.prepare(dailyUpsert(q)),
    insertAlarm: db.prepare(
      'INSERT INTO alarms (org, department, kind, started_at, ended_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (org, department, started_at) DO UPDATE SET kind = excluded.kind, ended_at = excluded.ended_at',
    ),
    upsertRollup: db.prepare(
      'INSERT INTO rollups (org, through, state) VALUES (?, ?, ?) ON CONFLICT (org) DO UPDATE SET through = excluded.through, state = excluded.state',
    ),
  });
  const statements = () => {
    prepared ??= prepare();
    return prepared;
  };

  return {
    dialect: 'sqlite',
    async migrate() {
      // A board and a recorder starting together both migrate: BEGIN IMMEDIATE takes the write lock
      // before reading what is applied, so the second waits for the first and then finds it done.
      db.pragma(`busy_timeout = ${MIGRATE_WAIT_MS}`);
      try {
        tx(() => {
          db.exec(
            'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
          );
          const done = new Set(
            (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
              (r) => r.version,
            ),
          );
          for (const m of MIGRATIONS) {
            if (done.has(m.version)) continue;
            for (const s of m.statements) db.exec(s);
            db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
              m.version,
              Date.now(),
            );
          }
        }).immediate();
      } finally {
        db.pragma(`busy_timeout = ${WRITE_WAIT_MS}`);
      }
      return Math.max(0, ...MIGRATIONS.map((m) => m.version));
    },
    async append(events) {
      if (events.length === 0) return 0;
      return writer.append(events);
    },
    async eventMarks() {
      return marksFrom(db.prepare('SELECT * FROM event_marks WHERE id = 1').get() as Record<string, unknown>);
    },
    async events(org, fromOrd, toOrd) {
      const rows = db
        .prepare("SELECT * FROM events WHERE org IN (?, '') AND ord >= ? AND ord < ? ORDER BY ord")
        .all(org, fromOrd, toOrd) as Record<string, unknown>[];
      return rows.map(eventFrom);
    },
    async firstOrd(org) {
      const row = db.prepare('SELECT MIN(ord) AS ord FROM events WHERE org = ?').get(org) as {
        ord: number | null;
      };
      return row.ord === null ? undefined : Number(row.ord);
    },
    async lastOrd() {
      const row = db.prepare('SELECT MAX(ord) AS ord FROM events').get() as { ord: number | null };
      return row.ord === null ? undefined : Number(row.ord);
    },
    async operatorChanges(org, ext, limit) {
      const rows = db
        .prepare(operatorChangesSql(q, "json_extract(body, '$.by.kind')"))
        .all(org, ext, limit) as { body: string }[];
      return rows.map((r) => JSON.parse(r.body));
    },
    async orgs() {
      return (db.prepare("SELECT DISTINCT org FROM events WHERE org <> ''").all() as { org: string }[]).map(
        (r) => r.org,
      );
    },
    async upsertSession(s) {
      db.prepare(
        'INSERT INTO recorder_sessions (id, started_at, last_seen, stopped_at, orgs) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen, stopped_at = excluded.stopped_at',
      ).run(s.id, s.startedAt, s.lastSeen, s.stoppedAt, sessionOrgsColumn(s));
    },
    async sessions() {
      const rows = db.prepare('SELECT * FROM recorder_sessions ORDER BY started_at').all() as Record<
        string,
        number | string | null
      >[];
      return rows.map(sessionOfRow);
    },
    async rollupState(org) {
      const row = db.prepare('SELECT * FROM rollups WHERE org = ?').get(org) as
        | { through: number; state: string }
        | undefined;
      return row ? { org, through: Number(row.through), state: JSON.parse(row.state) } : undefined;
    },
    async rollupThrough(org) {
      const row = db.prepare('SELECT through FROM rollups WHERE org = ?').get(org) as
        | { through: number }
        | undefined;
      return row ? Number(row.through) : undefined;
    },
    async saveRollup(state: RollupState, rows: readonly DailyRow[], alarms: readonly AlarmRow[]) {
      const s = statements();
      tx(() => {
        for (const row of rows) s.upsertDaily.run(...dailyValues(row));
        for (const a of alarms) s.insertAlarm.run(a.org, a.department, a.kind, a.startedAt, a.endedAt);
        s.upsertRollup.run(state.org, state.through, JSON.stringify(state.state));
      })();
    },
    async daily(query: DailyQuery) {
      const { where, params } = dailyWhere(query, q);
      const rows = db
        .prepare(`SELECT * FROM daily WHERE ${where} ORDER BY day, department, ext`)
        .all(...params);
      return (rows as Record<string, unknown>[]).map(dailyFrom);
    },
    async alarms(org, fromMs, toMs, department) {
      const rows = db
        .prepare(
          `SELECT * FROM alarms WHERE org = ? AND ended_at > ? AND started_at < ?${department !== undefined ? ' AND department = ?' : ''} ORDER BY started_at`,
        )
        .all(org, fromMs, toMs, ...(department !== undefined ? [department] : [])) as Record<
        string,
        unknown
      >[];
      return rows.map((r) => ({
        org: String(r.org),
        department: String(r.department),
        kind: r.kind as AlarmRow['kind'],
        startedAt: Number(r.started_at),
        endedAt: Number(r.ended_at),
      }));
    },
    async purgePersonRows(org, beforeDay) {
      return db.prepare("DELETE FROM daily WHERE org = ? AND ext <> '' AND day < ?").run(org, beforeDay)
        .changes;
    },
    async eventsOfKinds(org, kinds, beforeOrd) {
      const rows = db
        .prepare(
          `SELECT * FROM events WHERE org = ? AND ord < ? AND kind IN (${kinds.map(() => '?').join(',')}) ORDER BY ord`,
        )
        .all(org, beforeOrd, ...kinds) as Record<string, unknown>[];
      return rows.map(eventFrom);
    },
    async purgeEvents(org, kinds, beforeOrd) {
      return db
        .prepare(
          `DELETE FROM events WHERE org = ? AND ord < ? AND kind IN (${kinds.map(() => '?').join(',')})`,
        )
        .run(org, beforeOrd, ...kinds).changes;
    },
    async close() {
      await writer.close();
      db.close();
    },
  };
}
