// `hanvisa devices <list|assign|identify|restart|inventory|import|acl>`: IT's tool for the desks of an
// organisation. The planning is pure (fleet.ts, assignments.ts); this parses options and talks to the broker.
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../../cli/context.js';
import { parseArgv } from '../../cli/options.js';
import { didYouMean } from '../../cli/suggest.js';
import { firstLine } from '../../cli/text-input.js';
import { UsageError } from '../../cli/usage-error.js';
import { readTextFile } from '../../config/text-file.js';
import { createLogger } from '../../log/logger.js';
import { type AclInput, type DeviceCommand, RejectionCounter, renderAcl } from '../../protocol/index.js';
import {
  brokerOption,
  DEFAULT_SETTLE_MS,
  loginOption,
  ONE_SHOT_LOGIN_FLAGS,
  ONE_SHOT_LOGIN_USAGE,
  orgOption,
  settleOption,
} from '../broker-options.js';
import { oneShot } from '../one-shot.js';
import { parseRecorderUser, parseServiceUser, planAcl } from './acl-plan.js';
import { type Assignment, assignmentProblem, parseLayout, readDevicesCsv } from './assignments.js';
import type { Checked } from './checked.js';
import { readFleet, runDeviceCommand } from './device-exchange.js';
import { formatFleet, sortedSummaries } from './fleet.js';
import { assign, importDevices, readDevicesInput, reportProblems, writeJson } from './push.js';

const COMMON = `  --org ORG             the organisation's topic segment, e.g. grastorp
${ONE_SHOT_LOGIN_USAGE}  --settle-ms N         how long the broker must stay quiet before its retained device topics count as
                        read (default ${DEFAULT_SETTLE_MS})`;

const USAGE = `Usage: hanvisa devices <subcommand> --org ORG [options]

  list                  every device of ORG: online, ext, panel, versions, config pushed vs acked
      --json            one JSON array, for scripts
  assign --device ID [--ext EXT] [--layout layout.json|default] [--forward-to EXT | --no-forward-to]
         [--queue Q ... | --no-queues]
                        change the device's config (retained, next version) and wait for its ack;
                        what is not given is kept from its current config (--ext needed the first time)
  identify --device ID [--seconds N]    blink all the device's LEDs (default 10 s)
  restart --device ID                   restart the device's agent
  inventory --device ID                 what the device reports about itself
  import devices.csv [--dry-run] [--allow-partial]
                        assign every device in the CSV (columns device, ext, layout, forward_to,
                        queues; , or ; between fields; layout files relative to the CSV; an empty
                        cell keeps the setting, - clears forward_to or queues, layout default)
  acl --devices devices.csv [--board-user [ORG=]U ...] [--switchboard-user [ORG=]U ...]
      [--provisioning-user U ...] [--recorder-user [ORG=]U ...]
                        print the Mosquitto ACL for the devices file (no broker): every organisation in
                        its org column (--org for rows without one; --org optional with the column),
                        defaults board-ORG, switchboard-ORG, provisioning, recorder (a recorder U
                        reads every organisation on the broker, ORG=U that one only)

${COMMON}
  --timeout S           how long to wait for the devices' answers (default 10 s)
  --json                assign, import, identify, restart, inventory: the results as JSON
Exit code: 0 done (every device accepted), 1 refused, no answer, bad rows or broker trouble, 2 wrong usage.
`;

const log = createLogger('provisioning');

const OPTIONS = {
  org: { type: 'string' },
  ...ONE_SHOT_LOGIN_FLAGS,
  'settle-ms': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
  device: { type: 'string' },
  ext: { type: 'string' },
  layout: { type: 'string' },
  'forward-to': { type: 'string' },
  queue: { type: 'string', multiple: true },
  'no-forward-to': { type: 'boolean', default: false },
  'no-queues': { type: 'boolean', default: false },
  seconds: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'allow-partial': { type: 'boolean', default: false },
  devices: { type: 'string' },
  'board-user': { type: 'string', multiple: true },
  'switchboard-user': { type: 'string', multiple: true },
  'provisioning-user': { type: 'string', multiple: true },
  'recorder-user': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Which options each subcommand takes besides the broker ones; anything else is a usage error. */
const TAKES: Record<string, string[]> = {
  list: ['json'],
  assign: ['device', 'ext', 'layout', 'forward-to', 'no-forward-to', 'queue', 'no-queues', 'timeout', 'json'],
  identify: ['device', 'seconds', 'timeout', 'json'],
  restart: ['device', 'timeout', 'json'],
  inventory: ['device', 'timeout', 'json'],
  import: ['dry-run', 'allow-partial', 'timeout', 'json'],
  acl: ['devices', 'board-user', 'switchboard-user', 'provisioning-user', 'recorder-user'],
};
const BROKER_OPTIONS = ['org', ...Object.keys(ONE_SHOT_LOGIN_FLAGS), 'settle-ms', 'help'];

function parse(sub: string, argv: string[]) {
  const parsed = parseArgv(argv, OPTIONS, true);
  const allowed = new Set([...BROKER_OPTIONS, ...(TAKES[sub] ?? [])]);
  // A flag left at its default (false) was not given.
  const extra = Object.entries(parsed.values).find(([k, v]) => !allowed.has(k) && v !== false)?.[0];
  if (extra) throw new UsageError(`devices ${sub} does not take --${extra}`);
  if (parsed.positionals.length > (sub === 'import' ? 1 : 0))
    throw new UsageError(`unexpected ${JSON.stringify(parsed.positionals.at(-1))}`);
  return { values: parsed.values, file: parsed.positionals[0] };
}

function seconds(text: string | undefined, name: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n <= 0 || n > max)
    throw new UsageError(`--${name} must be a number of seconds above 0, at most ${max}`);
  return n;
}

function device(id: string | undefined): string {
  if (id === undefined) throw new UsageError('--device is required');
  const problem = assignmentProblem({ deviceId: id, ext: '0', queues: [] });
  if (problem) throw new UsageError(problem);
  return id;
}

/** Runs `hanvisa devices ...` (argv after `devices`); returns the exit code. */
export function devicesCommand(argv: string[], io: CommandContext = process): Promise<number> {
  return oneShot('devices', USAGE, io, async (connect) => {
    const [sub = '', ...rest] = argv;
    if (sub === '' || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout.write(USAGE);
      return sub === '' ? 2 : 0;
    }
    if (!(sub in TAKES))
      throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}${didYouMean(sub, Object.keys(TAKES))}`);
    const { values, file } = parse(sub, rest);
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    // One ACL serves every organisation on the broker: the devices file may name them instead.
    if (sub === 'acl')
      return await acl(io, values.org === undefined ? undefined : orgOption(values.org), values);
    const org = orgOption(values.org);

    const settleMs = settleOption(values['settle-ms']);
    const broker = brokerOption(values.broker);
    const timeoutMs = seconds(values.timeout, 'timeout', 10, 3600) * 1000;
    const command = deviceCommand(sub, values);
    // The files first: a bad file needs no broker.
    const assignment = sub === 'assign' ? await assignmentOption(values) : undefined;
    if (assignment && !assignment.ok) {
      io.stderr.write(`${assignment.reason}\nnothing published\n`);
      return 1;
    }
    if (sub === 'import' && file === undefined) throw new UsageError('devices import needs the devices CSV');
    const devicesInput = sub === 'import' ? await readDevicesInput(file as string, org) : undefined;
    const login = loginOption(values, values['password-stdin'] ? await firstLine(io.stdin) : undefined);

    const rejections = new RejectionCounter(log);
    // A dry run without --broker checks the files only.
    const client =
      sub === 'import' && values['dry-run'] && values.broker === undefined
        ? undefined
        : await connect(broker, login ?? {});
    const fleet = client ? await readFleet(client, org, settleMs, rejections) : new Map();
    if (rejections.total)
      io.stderr.write(
        `warning: ${rejections.total} unreadable retained device message(s) on the broker ignored\n`,
      );
    const ctx = { io, org, client, fleet, timeoutMs, rejections, json: values.json };

    if (sub === 'list') {
      const summaries = sortedSummaries(fleet);
      if (values.json) io.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
      else io.stdout.write(formatFleet(summaries) || `no devices of ${org} on ${broker}\n`);
      return 0;
    }
    if (assignment) return await assign(ctx, assignment.value);
    if (devicesInput)
      return await importDevices(ctx, devicesInput, {
        dryRun: values['dry-run'],
        allowPartial: values['allow-partial'],
      });
    if (command && client) {
      const deviceId = values.device as string;
      // A device the broker has never heard of cannot answer: say so now, not after the timeout.
      if (!fleet.has(deviceId)) {
        if (values.json)
          writeJson(io, {
            device: deviceId,
            cmd: command.cmd,
            id: command.id,
            answered: false,
            ok: false,
            detail: null,
          });
        else
          io.stderr.write(
            `${deviceId}: no such device in ${org} (it has never announced itself); nothing sent\n`,
          );
        return 1;
      }
      const result = await runDeviceCommand(client, org, deviceId, command, timeoutMs, rejections);
      if (values.json)
        writeJson(io, {
          device: deviceId,
          cmd: command.cmd,
          id: command.id,
          answered: result !== undefined,
          ok: result?.ok ?? false,
          detail: result?.detail ?? null,
        });
      if (!result) {
        if (values.json) return 1;
        const online = fleet.get(deviceId)?.state?.online;
        io.stderr.write(
          `${deviceId}: no answer to ${command.cmd} in ${timeoutMs / 1000} s${online ? '' : ' (the device is not online)'}\n`,
        );
        return 1;
      }
      if (!values.json)
        (result.ok ? io.stdout : io.stderr).write(
          `${deviceId}: ${command.cmd} ${result.ok ? 'ok' : 'FAILED'}${result.detail ? `: ${result.detail}` : ''}\n`,
        );
      return result.ok ? 0 : 1;
    }
    throw new Error(`devices ${sub}: nothing to do`);
  });
}

/**
 * assign's options: what is not given is kept, --no-... clears. Names that cannot go on the wire are
 * usage errors, a bad layout file is bad input.
 */
async function assignmentOption(values: ReturnType<typeof parse>['values']): Promise<Checked<Assignment>> {
  const clash = (set: string, clear: string) => {
    if (values[set as 'queue'] !== undefined && values[clear as 'no-queues'])
      throw new UsageError(`--${set} and --${clear} contradict each other`);
  };
  clash('queue', 'no-queues');
  clash('forward-to', 'no-forward-to');
  const assignment: Assignment = {
    deviceId: device(values.device),
    ext: values.ext,
    forwardTo: values['no-forward-to'] ? null : values['forward-to'],
    queues: values['no-queues'] ? [] : values.queue,
  };
  const problem = assignmentProblem(assignment);
  if (problem) throw new UsageError(problem);
  if (values.layout === undefined) return { ok: true, value: assignment };
  if (values.layout === 'default') return { ok: true, value: { ...assignment, layout: 'default' } };
  const layout = parseLayout(readTextFile(values.layout, 'layout file'), values.layout);
  if (!layout.ok) return layout;
  return { ok: true, value: { ...assignment, layout: layout.value } };
}

/** identify, restart, inventory: the command with a fresh id; undefined for the other subcommands. */
function deviceCommand(sub: string, values: ReturnType<typeof parse>['values']): DeviceCommand | undefined {
  if (sub !== 'identify' && sub !== 'restart' && sub !== 'inventory') return undefined;
  device(values.device);
  const id = `c-${randomUUID()}`;
  if (sub !== 'identify') return { v: 1, id, cmd: sub };
  return { v: 1, id, cmd: sub, seconds: seconds(values.seconds, 'seconds', 10, 300) };
}

/** The service users and provisioning users of the ACL options (`--board-user ORG=USER`, ...). */
export interface AclOptions {
  devices?: string | undefined;
  'board-user'?: string[] | undefined;
  'switchboard-user'?: string[] | undefined;
  'provisioning-user'?: string[] | undefined;
  'recorder-user'?: string[] | undefined;
}

/**
 * Who is who from a devices file and the ACL options: the input of renderAcl (Mosquitto) and of the
 * embedded broker's accounts. Problems go to stderr and give undefined: a partial ACL would lock the
 * left-out desks out of the broker.
 */
export async function aclFromDevicesFile(
  io: CommandContext,
  org: string | undefined,
  values: AclOptions,
  command: string,
): Promise<AclInput | undefined> {
  if (!values.devices) throw new UsageError(`${command} needs --devices devices.csv`);
  const file = readDevicesCsv(readTextFile(values.devices, 'devices file'), org);
  if (!org && !file.orgColumn)
    throw new UsageError(`${command} needs --org, or an org column in the devices file`);
  const services = (name: 'board-user' | 'switchboard-user') =>
    (values[name] ?? []).map((value) => {
      const user = parseServiceUser(name, value, org);
      if (!user.ok) throw new UsageError(user.reason);
      return user.value;
    });
  const plan = planAcl(file.rows, {
    org,
    boards: services('board-user'),
    switchboards: services('switchboard-user'),
    provisioning: values['provisioning-user'] ?? ['provisioning'],
    recorders: (values['recorder-user'] ?? ['recorder']).map((value) => {
      const user = parseRecorderUser(value);
      if (!user.ok) throw new UsageError(user.reason);
      return user.value;
    }),
  });
  reportProblems(io, values.devices, file.errors, file.warnings);
  const problems = plan.ok ? [] : plan.problems;
  for (const p of problems) io.stderr.write(`${p}\n`);
  if (file.errors.length || !plan.ok) {
    io.stderr.write(`${file.errors.length + problems.length} error(s): no ACL\n`);
    return undefined;
  }
  return plan.value;
}

async function acl(
  io: CommandContext,
  org: string | undefined,
  values: ReturnType<typeof parse>['values'],
): Promise<number> {
  const input = await aclFromDevicesFile(io, org, values, 'devices acl');
  if (!input) return 1;
  try {
    io.stdout.write(renderAcl(input));
  } catch (e) {
    // renderAcl refuses names that could widen a rule.
    io.stderr.write(`hanvisa devices acl: ${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}
