// What the recorder is started with: its own module, so the features' shared context (context.ts) can
// name it without importing the service that lists those features.
import type { BrokerLogin } from '../../mqtt/client.js';
import type { RecordsPlan } from './records-plan.js';
import type { Storage } from './storage/port.js';

/** The recorder's heartbeat unless told otherwise; whoever reads its sessions counts three missed as down. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

export interface RecorderOptions {
  brokerUrl: string;
  credentials?: BrokerLogin;
  storage: Storage;
  /** organisations to record; default all on the broker */
  orgs?: string[];
  /** events are appended at least this often (default 100 ms) or at `batchMax` (default 2,000) */
  batchMs?: number;
  batchMax?: number;
  /** the session's heartbeat: a crash's gap starts at the last one (default 30 s) */
  heartbeatMs?: number;
  /** how often closed days are rolled up (default 5 min; also at start) */
  rollupMs?: number;
  /** per-person rows and raw events are kept this many days (default 30; GDPR, docs/recorder.md) */
  retentionDays?: number;
  /** issue 23: the records plan, per data kind (records-plan.ts); none: everything after retentionDays */
  records?: RecordsPlan;
  now?: () => number;
}
