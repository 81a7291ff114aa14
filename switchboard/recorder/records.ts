// The records plan applied after each rollup (records-plan.ts has the rules): per data kind, events
// older than its days are purged, exported to the archive first, or kept. Only what the department
// figures already hold goes (never past the rollup's own day), and an export that cannot be written
// purges nothing: the run fails, is logged and is tried again at the next interval.
import { join } from 'node:path';
import { writeFileAtomically } from '../../config/atomic-file.js';
import { dayKey, dayStart } from './figures/periods.js';
import { DATA_KINDS, type DataKind, exportText, type RecordsPlan, ruleFor } from './records-plan.js';
import type { Storage } from './storage/port.js';

const DAY_MS = 86_400_000;

export interface RecordsResult {
  rows: number;
  events: number;
  /** the archive files written */
  exported: string[];
}

export interface RecordsContext {
  org: string;
  now: number;
  /** the rollup's own point: nothing after it is purged (the figures do not hold it yet) */
  rolledUpTo: number;
  timeZone: string;
  plan: RecordsPlan | undefined;
  retentionDays: number;
  /** where an export is written; default writeFileAtomically (tests give their own to fail it) */
  write?: (path: string, text: string) => void;
}

export async function applyRecordsPlan(storage: Storage, ctx: RecordsContext): Promise<RecordsResult> {
  const { org, now, timeZone: tz, plan, retentionDays } = ctx;
  const write = ctx.write ?? writeFileAtomically;
  const keepFrom = (days: number) => dayKey(now - days * DAY_MS, tz);
  const result: RecordsResult = { rows: 0, events: 0, exported: [] };
  for (const [kind, recorded] of Object.entries(DATA_KINDS) as [DataKind, readonly string[]][]) {
    const rule = ruleFor(plan, kind, retentionDays);
    if (rule.action === 'keep') continue;
    const beforeOrd = Math.min(ctx.rolledUpTo, dayStart(keepFrom(rule.days), tz)) * 1000;
    if (rule.action === 'export') {
      const events = await storage.eventsOfKinds(org, recorded, beforeOrd);
      const first = events[0];
      const last = events.at(-1);
      if (!first || !last) continue;
      const name = `${org}-${kind}-${dayKey(first.at, tz)}-${dayKey(last.at, tz)}-${last.ord}.${rule.format}`;
      // the archive directory is the plan's (checked when it was read: an export needs one)
      const path = join(plan?.archive ?? '.', name);
      write(path, exportText(events, rule.format));
      result.exported.push(path);
    }
    result.events += await storage.purgeEvents(org, recorded, beforeOrd);
  }
  const figures = ruleFor(plan, 'figures', retentionDays);
  if (figures.action === 'purge') result.rows = await storage.purgePersonRows(org, keepFrom(figures.days));
  return result;
}
