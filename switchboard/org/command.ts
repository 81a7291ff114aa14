// `hanvisa org`: the organisation's settings (directory/org) from a file, published and kept by their
// authority until stopped; SIGHUP re-reads the file.

import { type CommandContext, printer, stopped } from '../../cli/context.js';
import { parse, type Spec } from '../../cli/options.js';
import type { OrgInfo } from '../../protocol/index.js';
import {
  brokerOption,
  DEFAULT_BROKER,
  LOGIN_FLAGS,
  LOGIN_USAGE,
  loginOption,
  orgOption,
} from '../broker-options.js';
import { loadRequired } from '../config-option.js';
import { startOrgPublisher } from './publisher.js';
import { loadOrgSettings } from './settings.js';

const ORG: Spec = {
  usage: `Usage: hanvisa org --org ORG --settings FILE [--broker ${DEFAULT_BROKER}]
                   [--username NAME --password-file FILE] [--check | --once]

Publishes the organisation's settings (directory/org) from a JSON file (examples/org-*.json) and stays
their authority: republished on every reconnect, re-read on SIGHUP (a bad file is refused and the
settings as they were stay). Holidays are resolved to dates for last year to two years ahead. Its
broker login is the provisioning user (deploy/mosquitto).
  --settings       the settings file (docs/org-settings.md lists its fields)
  --check          check the file and print the directory/org it makes; no broker
  --once           publish once and exit
${LOGIN_USAGE.trimEnd()}`,
  options: {
    org: { type: 'string' },
    settings: { type: 'string' },
    check: { type: 'boolean' },
    once: { type: 'boolean' },
    ...LOGIN_FLAGS,
  },
};

/** The settings file as directory/org; a bad file is a UsageError naming the file and each field. */
function loadSettings(path: string | undefined): OrgInfo {
  return loadRequired(path, 'settings', ORG.usage, (p) => loadOrgSettings(p, new Date()));
}

export async function orgCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(ORG, argv, ctx);
  if (!values) return;
  const out = printer(ctx.stdout);
  const err = printer(ctx.stderr);
  const path = values.settings as string | undefined;
  const info = loadSettings(path);
  if (values.check) return out(JSON.stringify(info, null, 2));
  const org = orgOption(values.org as string | undefined);
  const login = loginOption(values);
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
        (e) => err(`publish failed: ${(e as Error).message}`),
      );
    } catch (e) {
      err(`settings not reloaded, the settings as they were stay: ${(e as Error).message}`);
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
