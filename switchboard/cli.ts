// `hanvisa broker | board | simulate | org | calendar`: the switchboard side's commands, each running until SIGINT/SIGTERM
// (or the given AbortSignal) and then stopping cleanly. bin/hanvisa.ts dispatches to these.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/usage-error.js';
import type { OrgInfo } from '../protocol/index.js';
import { createAuth } from './auth/index.js';
import { startBoard } from './board/server.js';
import { startEmbeddedBroker } from './broker/embedded.js';
import { brokerCredentials, brokerOption, DEFAULT_BROKER, orgOption } from './broker-session.js';
import { startCalendarBridge } from './calendar/bridge.js';
import { type CalendarConfig, parseCalendarConfig } from './calendar/config.js';
import { startOrgPublisher } from './org/publisher.js';
import { parseOrgSettings, SettingsError } from './org/settings.js';
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
function stopped(ctx: CommandContext): Promise<void> {
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

interface Spec {
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
}

/** Parses argv; returns undefined after printing help. Bad usage throws UsageError (exit code 2). */
function parse(spec: Spec, argv: string[], ctx: CommandContext) {
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

Runs the embedded MQTT 3.1.1 broker (aedes) for small sites and demos.
  --port   TCP port (default 1883; 0 picks a free one)
  --host   address to listen on (default 127.0.0.1; 0.0.0.0 for desks on other machines)`,
  options: { port: { type: 'string' }, host: { type: 'string' } },
};

export async function brokerCommand(argv: string[], ctx: CommandContext = {}): Promise<void> {
  const values = parse(BROKER, argv, ctx);
  if (!values) return;
  const broker = await startEmbeddedBroker({
    port: port(values.port as string | undefined, 1883),
    ...(values.host ? { host: values.host as string } : {}),
  });
  (ctx.out ?? console.log)(`broker ${broker.url}`);
  await stopped(ctx);
  await broker.close();
}

const BOARD: Spec = {
  usage: `Usage: hanvisa board [--broker ${DEFAULT_BROKER}] [--username NAME --password-file FILE]
                     [--port 8080] [--host 127.0.0.1] [--org ORG ...] [--users users.json [--trust-proxy]]

Runs the operators' presence board: a web page that follows the broker live.
  --broker         MQTT broker URL (default ${DEFAULT_BROKER})
  --username       the board's broker login (deploy/mosquitto: board-ORG); default anonymous
  --password-file  a file holding that login's password (one line; e.g. a systemd credential)
  --port           HTTP port (default 8080; 0 picks a free one)
  --host           address to listen on (default 127.0.0.1)
  --org            show only this organisation (repeatable; default all)
  --users          the users file (hanvisa users add ...): operators log in. Without it the board is
                   OPEN ACCESS, every visitor an operator: for a demo on one machine only
  --trust-proxy    behind a TLS proxy: believe its X-Forwarded-Proto and X-Forwarded-For`,
  options: {
    broker: { type: 'string' },
    username: { type: 'string' },
    'password-file': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    org: { type: 'string', multiple: true },
    users: { type: 'string' },
    'trust-proxy': { type: 'boolean' },
  },
};

export async function boardCommand(argv: string[], ctx: CommandContext = {}): Promise<void> {
  const values = parse(BOARD, argv, ctx);
  if (!values) return;
  const orgs = ((values.org as string[] | undefined) ?? []).map(orgOption);
  const usersFile = values.users as string | undefined;
  if (values['trust-proxy'] && usersFile === undefined)
    throw new UsageError(`--trust-proxy needs --users\n\n${BOARD.usage}`);
  // A broken users file stops the start here, naming the entry and field.
  const auth = createAuth(
    usersFile === undefined
      ? { openAccess: true }
      : { usersFile, ...(values['trust-proxy'] ? { trustProxy: true } : {}) },
  );
  const credentials = brokerCredentials(
    values.username as string | undefined,
    values['password-file'] as string | undefined,
  );
  const board = await startBoard({
    auth,
    brokerUrl: brokerOption(values.broker as string | undefined),
    ...(credentials ? { brokerCredentials: credentials } : {}),
    port: port(values.port as string | undefined, 8080),
    ...(values.host ? { host: values.host as string } : {}),
    ...(orgs.length ? { orgs } : {}),
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
  const hangup = ctx.hangup ?? process;
  hangup.on('SIGHUP', reload);
  try {
    await stopped(ctx);
  } finally {
    hangup.off('SIGHUP', reload);
    await board.close();
  }
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
  await stopped(ctx);
  await simulator.stop();
}

const ORG: Spec = {
  usage: `Usage: hanvisa org --org ORG --settings FILE [--broker ${DEFAULT_BROKER}]
                   [--username NAME --password-file FILE] [--check | --once]

Publishes the organisation's settings (directory/org) from a JSON file (examples/org-*.json) and stays
their authority: republished on every reconnect, re-read on SIGHUP (a bad file is refused and the
settings as they were stay). Holidays are resolved to dates for last year to two years ahead.
  --settings       the settings file (docs/org-settings.md lists its fields)
  --check          check the file and print the directory/org it makes; no broker
  --once           publish once and exit
  --broker         MQTT broker URL (default ${DEFAULT_BROKER})
  --username       broker login (deploy/mosquitto: the provisioning user); default anonymous
  --password-file  a file holding that login's password`,
  options: {
    org: { type: 'string' },
    settings: { type: 'string' },
    check: { type: 'boolean' },
    once: { type: 'boolean' },
    broker: { type: 'string' },
    username: { type: 'string' },
    'password-file': { type: 'string' },
  },
};

/** The settings file as directory/org; a bad file is a UsageError naming the file and each field. */
function loadSettings(path: string | undefined): OrgInfo {
  if (!path) throw new UsageError(`--settings is required\n\n${ORG.usage}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--settings ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parseOrgSettings(text, new Date());
  } catch (e) {
    if (e instanceof SettingsError) throw new UsageError(`${path}:\n${e.message}`);
    throw e;
  }
}

export async function orgCommand(argv: string[], ctx: CommandContext = {}): Promise<void> {
  const values = parse(ORG, argv, ctx);
  if (!values) return;
  const out = ctx.out ?? console.log;
  const path = values.settings as string | undefined;
  const info = loadSettings(path);
  if (values.check) return out(JSON.stringify(info, null, 2));
  const org = orgOption(values.org as string | undefined);
  const login = brokerCredentials(
    values.username as string | undefined,
    values['password-file'] as string | undefined,
  );
  const publisher = startOrgPublisher({
    brokerUrl: brokerOption(values.broker as string | undefined),
    org,
    info,
    ...(login ? { login } : {}),
  });
  const reload = () => {
    try {
      const next = loadSettings(path);
      publisher.update(next).then(
        () => out(`settings reloaded and published for ${org}`),
        (e) => (ctx.err ?? console.error)(`publish failed: ${(e as Error).message}`),
      );
    } catch (e) {
      (ctx.err ?? console.error)(
        `settings not reloaded, the settings as they were stay: ${(e as Error).message}`,
      );
    }
  };
  const hangup = ctx.hangup ?? process;
  hangup.on('SIGHUP', reload);
  try {
    const stop = stopped(ctx);
    const published = publisher.ready.then(() => out(`published directory/org for ${org}`));
    await Promise.race([published, stop]);
    if (!values.once) await stop;
  } finally {
    hangup.off('SIGHUP', reload);
    await publisher.stop();
  }
}

const CALENDAR: Spec = {
  usage: `Usage: hanvisa calendar --org ORG --config FILE [--broker ${DEFAULT_BROKER}]
                        [--username NAME --password-file FILE] [--check]

Refers people's phones from their calendars ("SAM: budget" = meeting; docs/calendar.md): polls each
person's ICS link, .ics file or CalDAV calendar, merges back-to-back entries into one total absence,
and never overrides what the person or an operator set by hand.
  --config         the calendar file (examples/calendar.json)
  --check          check the file and list whose calendar is read from where; no broker
  --broker         MQTT broker URL (default ${DEFAULT_BROKER})
  --username       broker login (deploy/mosquitto: calendar-ORG); default anonymous
  --password-file  a file holding that login's password`,
  options: {
    org: { type: 'string' },
    config: { type: 'string' },
    check: { type: 'boolean' },
    broker: { type: 'string' },
    username: { type: 'string' },
    'password-file': { type: 'string' },
  },
};

export async function calendarCommand(argv: string[], ctx: CommandContext = {}): Promise<void> {
  const values = parse(CALENDAR, argv, ctx);
  if (!values) return;
  const out = ctx.out ?? console.log;
  const path = values.config as string | undefined;
  if (!path) throw new UsageError(`--config is required\n\n${CALENDAR.usage}`);
  let config: CalendarConfig;
  try {
    config = parseCalendarConfig(readFileSync(path, 'utf8'), path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(`${path}:\n${reason}`);
  }
  if (values.check) {
    for (const p of config.people) out(`${p.ext}\t${p.source.label}`);
    return out(
      `${config.people.length} calendars, ${config.rules.length} prefixes, gap ${config.gapMinutes} min`,
    );
  }
  const login = brokerCredentials(
    values.username as string | undefined,
    values['password-file'] as string | undefined,
  );
  const bridge = startCalendarBridge({
    brokerUrl: brokerOption(values.broker as string | undefined),
    org: orgOption(values.org as string | undefined),
    ...config,
    ...(login ? { login } : {}),
  });
  try {
    const stop = stopped(ctx);
    await Promise.race([
      bridge.ready.then(() => out(`calendar bridge: ${config.people.length} calendars`)),
      stop,
    ]);
    await stop;
  } finally {
    await bridge.stop();
  }
}
