// The one schema both adapters apply, as numbered migrations in SQL both dialects read (TEXT, BIGINT,
// ON CONFLICT). A migration runs once, in the same transaction as its schema_migrations row.
import { METRICS } from '../figures/rows.js';

export interface Migration {
  version: number;
  statements: string[];
}

/** the metrics each migration adds to `daily`: a new store runs them all, so each column is made once */
const ADDED_METRICS: Record<number, readonly string[]> = {
  4: ['transfers', 'transfers_answered', 'transfers_bounced'],
};
const later = new Set(Object.values(ADDED_METRICS).flat());
const metricColumns = METRICS.filter((m) => !later.has(m))
  .map((m) => `${m} BIGINT NOT NULL DEFAULT 0`)
  .join(',\n  ');
const addMetrics = (version: number) =>
  (ADDED_METRICS[version] ?? []).map((m) => `ALTER TABLE daily ADD COLUMN ${m} BIGINT NOT NULL DEFAULT 0`);

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE events (
  id TEXT PRIMARY KEY,
  org TEXT NOT NULL,
  ord BIGINT NOT NULL,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL
)`,
      'CREATE INDEX events_org_ord ON events (org, ord)',
      `CREATE TABLE recorder_sessions (
  id TEXT PRIMARY KEY,
  started_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  stopped_at BIGINT
)`,
      `CREATE TABLE daily (
  org TEXT NOT NULL,
  day TEXT NOT NULL,
  department TEXT NOT NULL,
  ext TEXT NOT NULL,
  ${metricColumns},
  reasons TEXT NOT NULL DEFAULT '{}',
  answered_waits TEXT NOT NULL DEFAULT '{}',
  abandoned_waits TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (org, department, day, ext)
)`,
      // the key serves one department's range; this one the organisation's (department rows, ext '')
      'CREATE INDEX daily_org_ext_day ON daily (org, ext, day)',
      `CREATE TABLE alarms (
  org TEXT NOT NULL,
  department TEXT NOT NULL,
  kind TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL,
  PRIMARY KEY (org, department, started_at)
)`,
      `CREATE TABLE rollups (
  org TEXT PRIMARY KEY,
  through BIGINT NOT NULL,
  state TEXT NOT NULL
)`,
    ],
  },
  {
    // which organisations a session recorded (a JSON array; NULL: every one on its broker), so one
    // recorder's gap is not hidden by another's session of other organisations on the same store
    version: 2,
    statements: ['ALTER TABLE recorder_sessions ADD COLUMN orgs TEXT'],
  },
  {
    // the operators' audit trail reads one person's presences (storage/port.ts operatorChanges)
    version: 3,
    statements: ['CREATE INDEX events_person ON events (org, kind, subject, at)'],
  },
  {
    // calls to people (extcall/{ext}): operators' transfers and their outcome, and each answer's ring time
    version: 4,
    statements: [...addMetrics(4), "ALTER TABLE daily ADD COLUMN ring_answers TEXT NOT NULL DEFAULT '{}'"],
  },
  {
    // where the log stands (storage/port.ts EventMarks): today's figures resume from it (today.ts)
    version: 5,
    statements: [
      'CREATE TABLE event_marks (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, high BIGINT NOT NULL, late_seq BIGINT NOT NULL)',
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
