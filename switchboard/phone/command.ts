// `hanvisa phone --config phone.json`: the phone bridge, one adapter per organisation, until
// SIGINT/SIGTERM (or the context's signal).

import { dirname } from 'node:path';
import { type CommandContext, printer, stopped } from '../../cli/context.js';
import { parse } from '../../cli/options.js';
import { UsageError } from '../../cli/usage-error.js';
import { ConfigFileError, readJsonFile } from '../../config/json-file.js';
import { createKeyed } from '../../config/registry.js';
import { readSecretFile } from '../../config/secret-file.js';
import { readTlsFiles } from '../../config/tls-files.js';
import { type Bridge, startBridge } from './bridge.js';
import { PhoneConfig } from './config.js';
import { PHONE_SYSTEMS } from './systems.js';

export const PHONE_USAGE = `Usage: hanvisa phone --config phone.json

Runs the phone bridge: for each organisation in the config, its phone system (a SIP PBX, a webhook
integration or Trio Enterprise) feeds queue/…, voicemail/… and call/… and gets every referral change
(docs/phone.md).
  --config   the bridge's config file (JSON; docs/phone.md shows one)`;

export async function phoneCommand(argv: string[], ctx: CommandContext = process) {
  const values = parse({ usage: PHONE_USAGE, options: { config: { type: 'string' } } }, argv, ctx) as
    | { config?: string }
    | undefined;
  if (!values) return;
  const out = printer(ctx.stdout);
  if (!values.config) throw new UsageError(`--config is required\n\n${PHONE_USAGE}`);
  let config: PhoneConfig;
  let bridges: Bridge[];
  try {
    config = readJsonFile(values.config, PhoneConfig, 'phone config');
    const tls = readTlsFiles({
      ca: config.broker.caFile,
      cert: config.broker.certFile,
      key: config.broker.keyFile,
      servername: config.broker.servername,
    });
    // an organisation's own account, else the top-level one (the config allows one bridge on each name)
    const loginOf = ({
      username,
      passwordFile,
    }: {
      username?: string | undefined;
      passwordFile?: string | undefined;
    }) => ({
      ...(username ? { username } : {}),
      ...(passwordFile ? { password: readSecretFile(passwordFile, 'broker password') } : {}),
      tls,
    });
    bridges = config.orgs.map((org) =>
      startBridge({
        brokerUrl: config.broker.url,
        login: loginOf(org.broker ?? config.broker),
        org: org.org,
        phone: createKeyed(PHONE_SYSTEMS, org, { org: org.org, configDir: dirname(values.config as string) }),
        ...(org.alarmSeconds ? { alarmSeconds: org.alarmSeconds } : {}),
        ...(org.routing ? { routing: org.routing } : {}),
      }),
    );
  } catch (e) {
    if (e instanceof ConfigFileError) throw new UsageError(e.message);
    throw new UsageError(`${values.config}: ${(e as Error).message}`);
  }
  await Promise.all(bridges.map((b) => b.ready));
  out(`phone bridge running for ${config.orgs.map((o) => o.org).join(', ')}`);
  await stopped(ctx);
  await Promise.all(bridges.map((b) => b.stop()));
}
