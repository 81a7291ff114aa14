// `hanvisa broker | board | simulate | record`: the switchboard side's commands, each running until SIGINT/SIGTERM
// (or the given AbortSignal) and then stopping cleanly. bin/hanvisa.ts dispatches to these.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/usage-error.js';
import { createAuth } from './auth/index.js';
import { startBoard } from './board/server.js';
import { type BrokerAccounts, isLoopback, startEmbeddedBroker } from './broker/embedded.js';
import { type PasswordCheck, parsePasswordFile } from './broker/passwords.js';
import {
  brokerCredentials,
  brokerOption,
  DEFAULT_BROKER,
  orgOption,
  secretFromFile,
  TLS_FLAGS,
  TLS_USAGE,
  tlsOption,
} from './broker-session.js';
import type { AclOptions } from './provisioning/devices-command.js';
import { startRecorder } from './recorder/recorder.js';
import { openStorage, redact } from './recorder/storage/open.js';
import type { Storage } from './recorder/storage/port.js';
import { startSimulator } from './simulator/simulator.js';

export interface CommandContext {
  /** stops the command; default: SIGINT or SIGTERM */
  signal?: AbortSignal;
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** where SIGHUP (reload) comes from; default the process (tests emit it on their own emitter) */
  hangup?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

export { UsageError };

function port(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port must be 0-65535, got ${JSON.stringify(value)}`);
  return n;
}

/** Resolves when the context's signal aborts, or on the first SIGINT/SIGTERM. */
export function stopped(ctx: CommandContext): Promise<void> {
  if (ctx.signal) {
    const signal = ctx.signal;
    return signal.aborted
      ? Promise.resolve()
      : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/**
 * Runs until stopped (see `stopped`), calling `reload` on each SIGHUP meanwhile, then `close`: the
 * loop every long-running command shares.
 */
export async function runUntilStopped(
  ctx: CommandContext,
  close: () => Promise<void>,
  reload?: () => void,
): Promise<void> {
  const hangup = ctx.hangup ?? process;
  if (reload) hangup.on('SIGHUP', reload);
  try {
    await stopped(ctx);
  } finally {
    if (reload) hangup.off('SIGHUP', reload);
    await close();
  }
}

export interface Spec {
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
}

/** Parses argv; returns undefined after printing help. Bad usage throws UsageError (exit code 2). */
export function parse(spec: Spec, argv: string[], ctx: CommandContext) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${spec.usage}`);
  }
  if (parsed.values.help) {
    (ctx.out ?? console.log)(spec.usage);
    return undefined;
  }
  return parsed.values as Record<string, string | string[] | boolean | undefined>;
}

const BROKER: Spec = {
  usage: `Usage: hanvisa broker [--port 1883] [--host 127.0.0.1]
                      [--passwd FILE --devices devices.csv [--org ORG] [--board-user [ORG=]USER ...]
                       [--switchboard-user [ORG=]USER ...] [--provisioning-user USER ...]]

Runs the embedded MQTT 3.1.1 broker (aedes) for small sites and demos.
  --port      TCP port (default 1883; 0 picks a free one)
  --host      address to listen on (default 127.0.0.1). Beyond loopback it needs --passwd and --devices.
  --passwd    a Mosquitto password file (mosquitto_passwd): every client logs in, as on Mosquitto
  --devices   the devices file: each account gets the rights \`hanvisa devices acl\` renders for
              Mosquitto, with the same --org, --board-user, --switchboard-user, --provisioning-user
Without --passwd anyone on this machine may publish anything: a loopback demo only.`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    passwd: { type: 'string' },
    devices: { type: 'string' },
    org: { type: 'string' },
    'board-user': { type: 'string', multiple: true },
    'switchboard-user': { type: 'string', multiple: true },
    'provisioning-user': { type: 'string', multiple: true },
  },
};

/** --passwd and --devices: both or neither; unreadable or unparsable files are usage errors. */
async function brokerAccounts(
  values: Record<string, string | string[] | boolean | undefined>,
  ctx: CommandContext,
): Promise<BrokerAccounts | undefined> {
  const passwd = values.passwd as string | undefined;
  if (passwd === undefined) {
    if (values.devices !== undefined) throw new UsageError('--devices needs --passwd');
    return undefined;
  }
  let check: PasswordCheck;
  try {
    check = parsePasswordFile(readFileSync(passwd, 'utf8'));
  } catch (e) {
    throw new UsageError(`--passwd ${passwd}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const org = values.org === undefined ? undefined : orgOption(values.org as string);
  const stderr = { write: (text: string) => (ctx.err ?? console.error)(text.replace(/\n$/, '')) };
  // loaded only here: the board and the simulator carry no provisioning code
  const { aclFromDevicesFile } = await import('./provisioning/devices-command.js');
  const acl = await aclFromDevicesFile(
    { stdin: process.stdin, stdout: process.stdout, stderr },
    org,
    values as AclOptions,
    'broker --passwd',
  );
  if (!acl) throw new Error('the devices file has errors: broker not started');
  return { check, acl };
}

export async function brokerCommand(argv: string[], ctx: CommandContext = {}): Promise<void> {
  const values = parse(BROKER, argv, ctx);
  if (!values) return;
  const accounts = await brokerAccounts(values, ctx);
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  if (!accounts && !isLoopback(host))
    throw new UsageError(
      `--host ${host} without --passwd and --devices would let anyone who reaches it set any desk's state; ` +
        'anonymous access is only for loopback',
    );
  const broker = await startEmbeddedBroker({
    port: port(values.port as string | undefined, 1883),
    host,
    ...(accounts ? { accounts } : {}),
  });
  (ctx.out ?? console.log)(`broker ${broker.url}`);
  // SIGHUP re-reads --passwd and --devices, as Mosquitto rereads its files; a file that does not load
  // is refused, printed, and the accounts as they were stay.
  const reload = () => {
    if (!accounts) return (ctx.out ?? console.log)('anonymous demo: no accounts to reload');
    brokerAccounts(values, ctx)
      .then((next) => {
        if (next) broker.reload(next);
      })
      .then(
        () => (ctx.out ?? console.log)('accounts reloaded'),
        (e) =>
          (ctx.err ?? console.error)(
            `accounts not reloaded, the ones as they were stay: ${(e as Error).message}`,
          ),
      );
  };
  await runUntilStopped(ctx, () => broker.close(), reload);
}

const BOARD: Spec = {
  usage: `Usage: hanvisa board [--broker ${DEFAULT_BROKER}] [--username NAME --password-file FILE]
                     [--port 8080] [--host 127.0.0.1] [--org ORG ...] [--users users.json [--trust-proxy]]
                     [--writes FILE] [--session-secret-file FILE]

Runs the operators' presence board: a web page that follows the broker live.
  --broker         MQTT broker URL (default ${DEFAULT_BROKER})
  --username       the board's broker login (deploy/mosquitto: board-ORG); default anonymous
  --password-file  a file holding that login's password (one line; e.g. a systemd credential)
${TLS_USAGE}  --port           HTTP port (default 8080; 0 picks a free one)
  --host           address to listen on (default 127.0.0.1)
  --org            show only this organisation (repeatable; default all)
  --users          the users file (hanvisa users add ...): operators log in. Without it the board is
                   OPEN ACCESS, every visitor an operator: for a demo on one machine only
  --trust-proxy    behind a TLS proxy: believe its X-Forwarded-Proto and X-Forwarded-For
  --session-secret-file  a file holding the secret that signs login cookies (one line, 32+ bytes:
                   openssl rand -base64 32). Boards behind one address need the same one, so a login
                   on one is good on the other (docs/deploy.md). Without it: a random one per start
  --stats          the recorder's store (hanvisa record --store): the statistics page /stats
  --writes         a file for the board's own writes (messages taken, referrals set on someone's behalf):
                   kept there before they are published and republished on every reconnect, so a
                   broker that lost its store gets them back (docs/board.md). Without it, only the broker keeps them`,
  options: {
    broker: { type: 'string' },
    username: { type: 'string' },
    'password-file': { type: 'string' },
    ...TLS_FLAGS,
    port: { type: 'string' },
    host: { type: 'string' },
    org: { type: 'string', multiple: true },
    users: { type: 'string' },
    'trust-proxy': { type: 'boolean' },
    'session-secret-file': { type: 'string' },
    stats: { type: 'string' },
    writes: { type: 'string' },
  },
};

export async function boardCommand(argv: string[], ctx: CommandContext = {}): Promise<void> {
  const values = parse(BOARD, argv, ctx);
  if (!values) return;
  const orgs = ((values.org as string[] | undefined) ?? []).map(orgOption);
  const usersFile = values.users as string | undefined;
  const secretFile = values['session-secret-file'] as string | undefined;
  for (const flag of ['trust-proxy', 'session-secret-file'] as const)
    if (values[flag] && usersFile === undefined)
      throw new UsageError(`--${flag} needs --users\n\n${BOARD.usage}`);
  // A broken users file stops the start here, naming the entry and field.
  const auth = createAuth(
    usersFile === undefined
      ? { openAccess: true }
      : {
          usersFile,
          ...(values['trust-proxy'] ? { trustProxy: true } : {}),
          ...(secretFile
            ? { sessions: { secret: secretFromFile('--session-secret-file', secretFile) } }
            : {}),
        },
  );
  const credentials = brokerCredentials(
    values.username as string | undefined,
    values['password-file'] as string | undefined,
    tlsOption(values),
  );
  const statsStore = values.stats === undefined ? undefined : await openStorage(values.stats as string);
  const board = await startBoard({
    auth,
    ...(statsStore ? { stats: { storage: statsStore } } : {}),
    brokerUrl: brokerOption(values.broker as string | undefined),
    ...(credentials ? { brokerCredentials: credentials } : {}),
    port: port(values.port as string | undefined, 8080),
    ...(values.host ? { host: values.host as string } : {}),
    ...(orgs.length ? { orgs } : {}),
    ...(values.writes ? { storeFile: values.writes as string } : {}),
  });
  (ctx.out ?? console.log)(`board ${board.url}`);
  // SIGHUP (systemctl reload) re-reads the users file without logging everyone out; a file that does
  // not load is refused, printed, and the users as they were stay.
  const reload = () => {
    if (usersFile === undefined) return (ctx.out ?? console.log)('open access: no users file to reload');
    try {
      const { users, endedSessions } = auth.reloadUsers();
      (ctx.out ?? console.log)(`users reloaded: ${users} users, ${endedSessions} sessions ended`);
    } catch (e) {
      (ctx.err ?? console.error)(
        `users file not reloaded, the users as they were stay: ${(e as Error).message}`,
      );
    }
  };
  await runUntilStopped(
    ctx,
    async () => {
      await board.close();
      await statsStore?.close();
    },
    reload,
  );
}

const SIMULATE: Spec = {
  usage: `Usage: hanvisa simulate [--broker ${DEFAULT_BROKER}] [--org demo] [--seed 1]

Publishes a demo municipality's directory, then queue and voicemail traffic, as a switchboard would.
  --broker  MQTT broker URL (default ${DEFAULT_BROKER})
  --org     organisation segment to publish under (default demo)
  --seed    traffic seed: the same seed replays the same traffic (default 1)`,
  options: { broker: { type: 'string' }, org: { type: 'string' }, seed: { type: 'string' } },
};

export async function simulateCommand(argv: string[], ctx: CommandContext = {}): Promise<void> {
  const values = parse(SIMULATE, argv, ctx);
  if (!values) return;
  const seedText = (values.seed as string | undefined) ?? '1';
  if (!/^\d{1,10}$/.test(seedText))
    throw new UsageError(`--seed must be a whole number, got ${JSON.stringify(seedText)}`);
  const url = brokerOption(values.broker as string | undefined);
  const simulator = startSimulator({
    brokerUrl: url,
    org: orgOption((values.org as string | undefined) ?? 'demo'),
    seed: Number(seedText),
  });
  (ctx.out ?? console.log)(`simulating switchboard traffic on ${url}`);
  await runUntilStopped(ctx, () => simulator.stop());
}

const RECORD: Spec = {
  usage: `Usage: hanvisa record [--store hanvisa-record.db | --store postgres://user@host/db] [--broker ${DEFAULT_BROKER}]
                      [--username NAME --password-file FILE] [--org ORG ...] [--retention-days 30]

Records the stream (presence, desks, messages, voicemail, queues, call events) into an append-only
event log and daily figures, for the board's statistics page (hanvisa board --stats STORE).
  --store           a SQLite file (default hanvisa-record.db) or a PostgreSQL URL; give its password
                    in PGPASSWORD or ~/.pgpass, never in the URL (the command line is public in ps)
  --broker          MQTT broker URL (default ${DEFAULT_BROKER})
  --username        the recorder's broker login; --password-file a file holding its password
${TLS_USAGE}  --org             record only this organisation (repeatable; default all)
  --retention-days  per-person figures and raw events are kept this many days (default 30, GDPR)`,
  options: {
    store: { type: 'string' },
    broker: { type: 'string' },
    username: { type: 'string' },
    'password-file': { type: 'string' },
    ...TLS_FLAGS,
    org: { type: 'string', multiple: true },
    'retention-days': { type: 'string' },
  },
};

export async function recordCommand(argv: string[], ctx: CommandContext = {}): Promise<void> {
  const values = parse(RECORD, argv, ctx);
  if (!values) return;
  const retention = (values['retention-days'] as string | undefined) ?? '30';
  if (!/^\d{1,4}$/.test(retention) || Number(retention) < 1)
    throw new UsageError(`--retention-days must be 1-9999, got ${JSON.stringify(retention)}`);
  const orgs = ((values.org as string[] | undefined) ?? []).map(orgOption);
  const credentials = brokerCredentials(
    values.username as string | undefined,
    values['password-file'] as string | undefined,
    tlsOption(values),
  );
  const url = brokerOption(values.broker as string | undefined);
  const location = (values.store as string | undefined) ?? 'hanvisa-record.db';
  const storage: Storage = await openStorage(location);
  const recorder = await startRecorder({
    brokerUrl: url,
    storage,
    ...(credentials ? { credentials } : {}),
    ...(orgs.length ? { orgs } : {}),
    retentionDays: Number(retention),
  });
  (ctx.out ?? console.log)(`recording ${url} into ${redact(location)}`);
  await runUntilStopped(ctx, async () => {
    await recorder.close();
    await storage.close();
  });
}
