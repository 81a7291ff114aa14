// `hanvisa record`: the recorder, the stream into its store, until stopped.
import { type CommandContext, printer, runUntilStopped } from '../../cli/context.js';
import { parse, type Spec } from '../../cli/options.js';
import { UsageError } from '../../cli/usage-error.js';
import {
  brokerOption,
  DEFAULT_BROKER,
  LOGIN_FLAGS,
  LOGIN_USAGE,
  loginOption,
  orgOption,
} from '../broker-options.js';
import { startRecorder } from './recorder.js';
import { loadRecordsPlan } from './records-plan.js';
import { openStorage, redact } from './storage/open.js';
import type { Storage } from './storage/port.js';

const RECORD: Spec = {
  usage: `Usage: hanvisa record [--store hanvisa-record.db | --store postgres://user@host/db] [--broker ${DEFAULT_BROKER}]
                      [--username NAME --password-file FILE] [--org ORG ...] [--retention-days 30]
                      [--records records.json]

Records the stream (presence, desks, messages, voicemail, queues, call events) into an append-only
event log and daily figures, for the board's statistics page (hanvisa board --stats STORE). Its
broker login is recorder (docs/recorder.md).
  --store          a SQLite file (default hanvisa-record.db) or a PostgreSQL URL; give its password
                   in PGPASSWORD or ~/.pgpass, never in the URL (the command line is public in ps)
${LOGIN_USAGE}  --org            record only this organisation (repeatable; default all)
  --retention-days per-person figures and raw events are kept this many days (default 30, GDPR)
  --records        the records plan: per data kind purge after N days, keep, or export to the
                   archive as CSV or JSON first (docs/recorder.md, "Records")`,
  options: {
    store: { type: 'string' },
    ...LOGIN_FLAGS,
    org: { type: 'string', multiple: true },
    'retention-days': { type: 'string' },
    records: { type: 'string' },
  },
};

export async function recordCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(RECORD, argv, ctx);
  if (!values) return;
  const retention = (values['retention-days'] as string | undefined) ?? '30';
  if (!/^\d{1,4}$/.test(retention) || Number(retention) < 1)
    throw new UsageError(`--retention-days must be 1-9999, got ${JSON.stringify(retention)}`);
  const recordsFile = values.records as string | undefined;
  // read before the store opens: a bad plan is one line naming the file and field, nothing started
  const records = recordsFile ? loadRecordsPlan(recordsFile) : undefined;
  const orgs = ((values.org as string[] | undefined) ?? []).map(orgOption);
  const credentials = loginOption(values);
  const url = brokerOption(values.broker as string | undefined);
  const location = (values.store as string | undefined) ?? 'hanvisa-record.db';
  const storage: Storage = await openStorage(location);
  const recorder = await startRecorder({
    brokerUrl: url,
    storage,
    ...(credentials ? { credentials } : {}),
    ...(orgs.length ? { orgs } : {}),
    retentionDays: Number(retention),
    ...(records ? { records } : {}),
  });
  printer(ctx.stdout)(`recording ${url} into ${redact(location)}`);
  await runUntilStopped(ctx, async () => {
    await recorder.close();
    await storage.close();
  });
}
