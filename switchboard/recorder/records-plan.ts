// How long the recorder keeps each kind of data, as the municipality decides it (issue 23). Personal
// data goes when it is no longer needed (GDPR), but Falkenberg reminds that voicemail and phone
// messages may be public records (allmänna handlingar) that the records plan (dokumenthanteringsplan)
// says to keep or to deliver to the archive. So each data kind is purged after N days, kept (the
// records plan rules; hanvisa deletes nothing of it), or exported to the archive as CSV or JSON and
// then purged. Without a plan every kind is purged after --retention-days, as before.
import { z } from 'zod';
import { readJsonFile } from '../../config/json-file.js';
import { formatCsv } from '../directory/csv.js';
import type { RecordedKind } from './recorded-events.js';

/** The data kinds a plan names, and the recorded kinds each holds. */
export const DATA_KINDS = {
  /** presence: who was away when, and why (also the board's audit trail) */
  referrals: ['presence'],
  /** phone messages and their handling: may be public records (Falkenberg) */
  messages: ['mwi', 'mwi-message', 'mwi-handled'],
  /** voicemail counts and ages (the recordings themselves stay in the phone system) */
  voicemail: ['voicemail'],
  /** calls and queues: answer times, dropped calls, who answered */
  calls: ['call', 'ext-call', 'line', 'queue'],
  /** desks online or not */
  devices: ['device-state'],
  /** the directory as it was: people, departments, settings */
  directory: ['directory-person', 'directory-department', 'directory-org'],
} as const satisfies Record<string, readonly RecordedKind[]>;
export type DataKind = keyof typeof DATA_KINDS | 'figures';

const Days = z.number().int().min(1).max(36_500);
const Rule = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('purge'), days: Days }),
  /** the records plan keeps it: hanvisa never deletes it (the archive takes it from the store) */
  z.strictObject({ action: z.literal('keep') }),
  z.strictObject({ action: z.literal('export'), days: Days, format: z.enum(['csv', 'json']) }),
]);
export type RetentionRule = z.infer<typeof Rule>;

export const RecordsPlan = z
  .strictObject({
    /** where exports are written, one file per organisation, kind and run */
    archive: z.string().min(1).optional(),
    /** the rule of every kind the plan does not name; default: purge after --retention-days */
    default: Rule.optional(),
    kinds: z
      .strictObject({
        referrals: Rule,
        messages: Rule,
        voicemail: Rule,
        calls: Rule,
        devices: Rule,
        directory: Rule,
        /** the per-person daily figures (the department figures are kept always): purge or keep */
        figures: Rule.refine(
          (r) => r.action !== 'export',
          'figures: purge or keep (export the events instead)',
        ),
      })
      .partial()
      .default({}),
  })
  .superRefine((plan, ctx) => {
    const rules = [plan.default, ...Object.values(plan.kinds)];
    if (!plan.archive && rules.some((r) => r?.action === 'export'))
      ctx.addIssue({ code: 'custom', path: ['archive'], message: 'an export needs the archive directory' });
  });
export type RecordsPlan = z.infer<typeof RecordsPlan>;

/** IT's records plan file; a ConfigFileError names the file and every bad field. */
export function loadRecordsPlan(path: string): RecordsPlan {
  return readJsonFile(path, RecordsPlan, 'records plan');
}

/** The rule for one kind: the plan's, else its default, else purge after `retentionDays`. */
export function ruleFor(plan: RecordsPlan | undefined, kind: DataKind, retentionDays: number): RetentionRule {
  return plan?.kinds[kind] ?? plan?.default ?? { action: 'purge', days: retentionDays };
}

/**
 * One export's text: each event's time, kind, subject and body. CSV as the directory import writes it
 * (RFC 4180, read back exactly: an archive keeps what was, so no cell is altered), the body as JSON.
 */
export function exportText(
  events: readonly { at: number; kind: string; subject: string; body: unknown }[],
  format: 'csv' | 'json',
): string {
  const rows = events.map((e) => ({
    at: new Date(e.at).toISOString(),
    kind: e.kind,
    subject: e.subject,
    body: e.body,
  }));
  if (format === 'json') return `${JSON.stringify(rows, null, 1)}\n`;
  return formatCsv([
    ['at', 'kind', 'subject', 'body'],
    ...rows.map((r) => [r.at, r.kind, r.subject, JSON.stringify(r.body)]),
  ]);
}
