// The recorder's storage port: one schema (schema.ts) behind two adapters, SQLite (sqlite.ts, the
// default: a file, nothing to install) and PostgreSQL (postgres.ts, production). Both pass the same
// contract tests (storage.contract.ts). Every method is a whole unit of work: a failed call changes nothing.

import type { AlarmRow, DailyRow } from '../figures/rows.js';
import type { RecordedEvent } from '../recorded-events.js';

export interface RecorderSession {
  id: string;
  startedAt: number;
  lastSeen: number;
  stoppedAt: number | null;
  /** the organisations it recorded; absent: every one on its broker */
  orgs?: readonly string[];
}

export interface RollupState {
  org: string;
  /** ms: every event before this (by receipt) is in the stored figures */
  through: number;
  state: unknown;
}

/**
 * Where the event log stands (schema 5, one row written in the same transaction as every append):
 * how many appends so far, the newest receipt order stored, and the last append that came late: one
 * holding an event older than the newest by more than LATE_ORD (a batch kept while the store was away,
 * a second recorder lagging). Today's figures (today.ts) resume their timeline from what they read, hold
 * back the last LATE_ORD, and start again from the saved state after a late append.
 */
export interface EventMarks {
  seq: number;
  high: number;
  lateSeq: number;
}

/** 10 s in receipt order (ms × 1000): far more than a batch's 100 ms and its commit, or two recorders' skew. */
export const LATE_ORD = 10_000 * 1000;

export interface DailyQuery {
  org: string;
  /** local days 'YYYY-MM-DD', inclusive */
  fromDay: string;
  toDay: string;
  department?: string;
  /** per-person rows too (else only department and organisation rows) */
  people?: boolean;
}

export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies the migrations not yet applied; returns the schema version. */
  migrate(): Promise<number>;
  /** Appends events; an id already stored is skipped. Returns how many were new. */
  append(events: readonly RecordedEvent[]): Promise<number>;
  /** Where the log stands (EventMarks); all 0 before the first append of this schema. */
  eventMarks(): Promise<EventMarks>;
  /** Events of an org (and the recorder's own, org ''), receipt order, ord in [fromOrd, toOrd). */
  events(org: string, fromOrd: number, toOrd: number): Promise<RecordedEvent[]>;
  /** The receipt order of an org's first event, if any. */
  firstOrd(org: string): Promise<number | undefined>;
  /** The receipt order of the newest event of any org: where a crashed recorder's log ends. */
  lastOrd(): Promise<number | undefined>;
  /**
   * The presence bodies an operator set for the person (`by.kind` 'operator'), newest first by their own
   * time, each change once however often it was recorded (a restarted recorder records the retained value
   * again): the board's audit trail.
   */
  operatorChanges(org: string, ext: string, limit: number): Promise<unknown[]>;
  /** Organisations with any event. */
  orgs(): Promise<string[]>;
  upsertSession(session: RecorderSession): Promise<void>;
  sessions(): Promise<RecorderSession[]>;
  rollupState(org: string): Promise<RollupState | undefined>;
  /** The rollup's `through` alone, without reading its saved state. */
  rollupThrough(org: string): Promise<number | undefined>;
  /** Writes a rollup's rows, alarms and state in one transaction. */
  saveRollup(state: RollupState, rows: readonly DailyRow[], alarms: readonly AlarmRow[]): Promise<void>;
  daily(query: DailyQuery): Promise<DailyRow[]>;
  alarms(org: string, fromMs: number, toMs: number, department?: string): Promise<AlarmRow[]>;
  /** GDPR: deletes the per-person daily rows of days before `beforeDay` (the department rows stay); how many. */
  purgePersonRows(org: string, beforeDay: string): Promise<number>;
  /**
   * The org's own events of these kinds received before `beforeOrd`, receipt order: what a records
   * plan exports to the archive before they are purged (rollup.ts).
   */
  eventsOfKinds(org: string, kinds: readonly string[], beforeOrd: number): Promise<RecordedEvent[]>;
  /** Deletes the org's events of these kinds received before `beforeOrd` (already in the figures); how many. */
  purgeEvents(org: string, kinds: readonly string[], beforeOrd: number): Promise<number>;
  close(): Promise<void>;
}
