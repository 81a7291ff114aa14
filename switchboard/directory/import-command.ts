// `hanvisa import --broker URL --org ORG --people people.csv [--departments departments.csv] ...`:
// reads the directory the broker holds, plans the import (ImportPlanner) reading the files in pieces,
// prints every error with its line, and publishes the result retained at QoS 1 in batches, waiting
// for every ack before it disconnects.
import type { MqttClient } from 'mqtt';
import type { CommandContext } from '../../cli/context.js';
import { parseArgv } from '../../cli/options.js';
import { firstLine } from '../../cli/text-input.js';
import { UsageError } from '../../cli/usage-error.js';
import { openTextFile } from '../../config/text-file.js';
import { createLogger } from '../../log/logger.js';
import { decode, encode, type Message, RejectionCounter } from '../../protocol/index.js';
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
import { type ChunkSink, type ExistingDirectory, fingerprint, ImportPlanner } from './import.js';
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
  const people = new Map<string, string>();
  const departments = new Map<string, string>();
  await readRetained(client, `hanvisa/v1/${org}/directory/#`, settleMs, (topic, payload) => {
    const result = decode(topic, payload);
    if (!result.ok) return rejections.record(result);
    const m = result.message;
    if (m.kind === 'directory-person' && m.body) people.set(m.ext, fingerprint(m.body));
    if (m.kind === 'directory-department' && m.body) departments.set(m.departmentId, fingerprint(m.body));
  });
  return { people, departments };
}

/** Hands a file's pieces to the plan as they are read. */
async function readInto(file: AsyncIterable<string>, sink: ChunkSink): Promise<void> {
  for await (const chunk of file) sink.push(chunk);
  sink.end();
}

/** Messages unacknowledged at once: enough to keep the link busy, few enough that memory stays flat. */
const WINDOW = 500;

/**
 * Publishes retained at QoS 1 with at most WINDOW messages awaiting their PUBACK: each new one waits
 * for an older one's. `drain` resolves once the broker holds every message.
 */
function windowedPublisher(client: MqttClient) {
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const what = 'before every message was acknowledged';
  const check = () => {
    if (failure) throw failure;
  };
  return {
    async publish(messages: Message[]): Promise<void> {
      for (const message of messages) {
        while (inFlight.size >= WINDOW) await whileConnected(client, Promise.race(inFlight), what);
        check();
        const o = encode(message);
        const acked: Promise<void> = client
          .publishAsync(o.topic, o.payload, { qos: o.qos, retain: o.retain })
          .then(
            () => {},
            (e: Error) => {
              failure ??= e;
            },
          )
          .finally(() => inFlight.delete(acked));
        inFlight.add(acked);
      }
    },
    async drain(): Promise<void> {
      await whileConnected(client, Promise.all(inFlight), what);
      check();
    },
  };
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
    // Found now, read later in pieces: a 25 MB export is never in memory whole.
    const people = openTextFile(files.people, 'people file');
    const departments =
      values.departments === undefined ? undefined : openTextFile(values.departments, 'departments file');
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

    const planner = new ImportPlanner({
      org,
      ...(existing ? { existing } : {}),
      prune: values.prune,
      allowPartial: values['allow-partial'],
    });
    if (departments) await readInto(departments, planner.readDepartments());
    await readInto(people, planner.readPeople());
    const plan = planner.finish();
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
      const { publish, drain } = windowedPublisher(client);
      await publish(plan.departments());
      // the people file again: each piece's changed people are published as it is read
      const people = plan.people();
      for await (const chunk of openTextFile(files.people, 'people file')) await publish(people.push(chunk));
      await publish(people.end());
      await publish(plan.removals());
      await drain();
      if (people.published() !== people.planned)
        throw new Error(`${files.people} changed during the import: run it again`);
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
