// `hanvisa import --broker URL --org ORG --people people.csv [--departments departments.csv] ...`:
// reads the directory the broker holds, plans the import (planImport), prints every error with its
// line, and publishes the result retained at QoS 1, waiting for every ack before it disconnects.
import type { MqttClient } from 'mqtt';
import type { CommandContext } from '../../cli/context.js';
import { parseArgv } from '../../cli/options.js';
import { firstLine } from '../../cli/text-input.js';
import { UsageError } from '../../cli/usage-error.js';
import { readTextFile } from '../../config/text-file.js';
import { createLogger } from '../../log/logger.js';
import {
  type Department,
  decode,
  encode,
  type Message,
  type Person,
  RejectionCounter,
} from '../../protocol/index.js';
import {
  brokerOption,
  DEFAULT_SETTLE_MS,
  loginOption,
  ONE_SHOT_LOGIN_FLAGS,
  ONE_SHOT_LOGIN_USAGE,
  orgOption,
  settleOption,
} from '../broker-options.js';
import { oneShot, readRetained, whileConnected } from '../one-shot.js';
import { type ExistingDirectory, planImport } from './import.js';
import { formatTableError } from './table.js';

const USAGE = `Usage: hanvisa import --org ORG --people people.csv [options]
  --org ORG             the organisation's topic segment, e.g. grastorp
  --people FILE         people CSV (UTF-8; , or ; between fields)
  --departments FILE    departments CSV; without it people must name departments the broker already holds
  --dry-run             check and print the plan, publish nothing (reads the broker only if --broker is given
                        or the departments file is missing)
  --prune               clear retained people (and departments, with --departments) of ORG not in the files
  --allow-partial       publish the valid rows even when some rows are bad (default: publish nothing)
${ONE_SHOT_LOGIN_USAGE}  --settle-ms N         how long the broker must stay quiet before its retained directory counts as read
                        (default ${DEFAULT_SETTLE_MS})
Exit code: 0 imported, 1 bad rows or broker trouble, 2 wrong usage.
`;

const log = createLogger('directory-import');

/** Reads the organisation's retained directory (settled as readRetained explains). */
export async function readDirectory(
  client: MqttClient,
  org: string,
  settleMs: number,
  rejections: RejectionCounter,
): Promise<ExistingDirectory> {
  const people = new Map<string, Person>();
  const departments = new Map<string, Department>();
  await readRetained(client, `hanvisa/v1/${org}/directory/#`, settleMs, (topic, payload) => {
    const result = decode(topic, payload);
    if (!result.ok) return rejections.record(result);
    const m = result.message;
    if (m.kind === 'directory-person' && m.body) people.set(m.ext, m.body);
    if (m.kind === 'directory-department' && m.body) departments.set(m.departmentId, m.body);
  });
  return { people, departments };
}

/** Runs `hanvisa import` (argv after `import`); returns the exit code. */
export function importCommand(argv: string[], io: CommandContext = process): Promise<number> {
  return oneShot('import', USAGE, io, async (connect) => {
    const values = parse(argv);
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const org = orgOption(values.org);
    if (!values.people) throw new UsageError('--people is required');
    const settleMs = settleOption(values['settle-ms']);
    const broker = brokerOption(values.broker);

    const files = { people: values.people, departments: values.departments ?? '' };
    const people = readTextFile(files.people, 'people file');
    const departments =
      values.departments === undefined ? undefined : readTextFile(values.departments, 'departments file');
    const login = loginOption(values, values['password-stdin'] ? await firstLine(io.stdin) : undefined);

    const started = performance.now();
    const needBroker =
      !values['dry-run'] || values.broker !== undefined || departments === undefined || values.prune;
    const rejections = new RejectionCounter(log);
    let existing: ExistingDirectory | undefined;
    let client: MqttClient | undefined;
    if (needBroker) {
      client = await connect(broker, login ?? {});
      existing = await readDirectory(client, org, settleMs, rejections);
    }

    const plan = planImport({
      org,
      people,
      ...(departments !== undefined ? { departments } : {}),
      ...(existing ? { existing } : {}),
      prune: values.prune,
      allowPartial: values['allow-partial'],
    });
    for (const error of plan.errors) io.stderr.write(formatTableError(files[error.file], error));
    for (const warning of plan.warnings) io.stderr.write(`warning: ${warning}\n`);
    if (rejections.total)
      io.stderr.write(
        `warning: ${rejections.total} unreadable retained directory message(s) on the broker ignored\n`,
      );

    const { summary } = plan;
    io.stdout.write(`${files.people}: ${summary.people.rows} rows, ${summary.people.valid} valid\n`);
    if (departments !== undefined)
      io.stdout.write(
        `${files.departments}: ${summary.departments.rows} rows, ${summary.departments.valid} valid\n`,
      );
    if (existing)
      io.stdout.write(
        `broker holds ${existing.people.size} people and ${existing.departments.size} departments of ${org}\n`,
      );
    if (summary.blocked) {
      io.stdout.write(
        `${plan.errors.length} error(s): nothing published (--allow-partial publishes the valid rows)\n`,
      );
      return 1;
    }
    const verb = values['dry-run'] ? 'would publish' : 'published';
    if (!values['dry-run'] && client) {
      const outgoing = [
        ...plan.messages.map((m) => encode(m)),
        ...plan.removals.map((ref) => encode({ ...ref, body: null } as Message)),
      ];
      // publishAsync resolves on PUBACK: once all have, the broker holds every message.
      await whileConnected(
        client,
        Promise.all(
          outgoing.map((o) => client?.publishAsync(o.topic, o.payload, { qos: o.qos, retain: o.retain })),
        ),
        'before every message was acknowledged',
      );
    }
    const ms = Math.round(performance.now() - started);
    io.stdout.write(
      `${verb} ${summary.publish}, unchanged ${summary.unchanged}, ${values['dry-run'] ? 'would remove' : 'removed'} ${summary.remove} (${org}${client ? ` on ${broker}` : ''}) in ${ms} ms\n`,
    );
    return plan.errors.length ? 1 : 0;
  });
}

function parse(argv: string[]) {
  return parseArgv(argv, {
    org: { type: 'string' },
    people: { type: 'string' },
    departments: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    prune: { type: 'boolean', default: false },
    'allow-partial': { type: 'boolean', default: false },
    ...ONE_SHOT_LOGIN_FLAGS,
    'settle-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  }).values;
}
