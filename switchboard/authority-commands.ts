// `hanvisa org | calendar`: the two services that act as an authority for the organisation — its
// settings (directory/org) and its staff's calendar referrals — each running until SIGINT/SIGTERM (or
// the given AbortSignal), with cli.ts's option parsing and stopping.
import { UsageError } from '../cli/usage-error.js';
import { ConfigFileError } from '../config/json-file.js';
import type { OrgInfo } from '../protocol/index.js';
import {
  brokerCredentials,
  brokerOption,
  DEFAULT_BROKER,
  orgOption,
  TLS_FLAGS,
  TLS_USAGE,
  tlsOption,
} from './broker-session.js';
import { startCalendarBridge } from './calendar/bridge.js';
import { type CalendarConfig, loadCalendarConfig } from './calendar/config.js';
import { type CommandContext, parse, type Spec, stopped } from './cli.js';
import { startOrgPublisher } from './org/publisher.js';
import { loadOrgSettings } from './org/settings.js';

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
  --password-file  a file holding that login's password
${TLS_USAGE.trimEnd()}`,
  options: {
    org: { type: 'string' },
    settings: { type: 'string' },
    check: { type: 'boolean' },
    once: { type: 'boolean' },
    broker: { type: 'string' },
    username: { type: 'string' },
    'password-file': { type: 'string' },
    ...TLS_FLAGS,
  },
};

/** The settings file as directory/org; a bad file is a UsageError naming the file and each field. */
function loadSettings(path: string | undefined): OrgInfo {
  if (!path) throw new UsageError(`--settings is required\n\n${ORG.usage}`);
  try {
    return loadOrgSettings(path, new Date());
  } catch (e) {
    if (e instanceof ConfigFileError) throw new UsageError(e.message);
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
    tlsOption(values),
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
  --password-file  a file holding that login's password
${TLS_USAGE.trimEnd()}`,
  options: {
    org: { type: 'string' },
    config: { type: 'string' },
    check: { type: 'boolean' },
    broker: { type: 'string' },
    username: { type: 'string' },
    'password-file': { type: 'string' },
    ...TLS_FLAGS,
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
    config = loadCalendarConfig(path);
  } catch (e) {
    if (e instanceof ConfigFileError) throw new UsageError(e.message);
    throw e;
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
    tlsOption(values),
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
