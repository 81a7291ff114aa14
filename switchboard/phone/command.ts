// `hanvisa phone --config phone.json`: the phone bridge, one adapter per organisation, until
// SIGINT/SIGTERM (or the context's signal).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CommandContext, printer, stopped } from '../../cli/context.js';
import { UsageError } from '../../cli/usage-error.js';
import { readTlsFiles } from '../../mqtt/client.js';
import { type Bridge, startBridge } from './bridge.js';
import { type PhoneConfig, PhoneConfigError, parsePhoneConfig, readSecret } from './config.js';
import type { PhoneSystem } from './port.js';
import { createSipPhone } from './sip/adapter.js';
import { createWebhookPhone } from './webhook/adapter.js';

export const PHONE_USAGE = `Usage: hanvisa phone --config phone.json

Runs the phone bridge: for each organisation in the config, its phone system (a SIP PBX or a webhook
integration) feeds queue/…, voicemail/… and call/… and gets every referral change (docs/phone.md).
  --config   the bridge's config file (JSON; docs/phone.md shows one)`;

function adapterFor(org: PhoneConfig['orgs'][number]): PhoneSystem {
  if (org.sip)
    return createSipPhone({
      server: org.sip.server,
      domain: org.sip.domain,
      extensions: org.sip.extensions,
      localHost: org.sip.listen.host,
      localPort: org.sip.listen.port,
      ...(org.sip.expires ? { expires: org.sip.expires } : {}),
      ...(org.sip.keepaliveSeconds ? { keepaliveMs: org.sip.keepaliveSeconds * 1000 } : {}),
    });
  const w = org.webhook;
  if (!w) throw new PhoneConfigError(`${org.org}: no phone system`);
  return createWebhookPhone({
    org: org.org,
    host: w.listen.host,
    port: w.listen.port,
    secret: readSecret(w.secretFile),
    ...(w.replayWindowSeconds ? { replayWindowSeconds: w.replayWindowSeconds } : {}),
    ...(w.silenceSeconds ? { silenceSeconds: w.silenceSeconds } : {}),
    ...(w.out ? { out: w.out } : {}),
  });
}

export async function phoneCommand(argv: string[], ctx: CommandContext = process) {
  let values: { config?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${PHONE_USAGE}`);
  }
  const out = printer(ctx.stdout);
  if (values.help) {
    out(PHONE_USAGE);
    return;
  }
  if (!values.config) throw new UsageError(`--config is required\n\n${PHONE_USAGE}`);
  let config: PhoneConfig;
  let bridges: Bridge[];
  try {
    config = parsePhoneConfig(JSON.parse(readFileSync(values.config, 'utf8')), values.config);
    const password = config.broker.passwordFile ? readSecret(config.broker.passwordFile) : undefined;
    const login = {
      ...(config.broker.username ? { username: config.broker.username } : {}),
      ...(password ? { password } : {}),
      tls: readTlsFiles({
        ca: config.broker.caFile,
        cert: config.broker.certFile,
        key: config.broker.keyFile,
        servername: config.broker.servername,
      }),
    };
    bridges = config.orgs.map((org) =>
      startBridge({
        brokerUrl: config.broker.url,
        login,
        org: org.org,
        phone: adapterFor(org),
        ...(org.alarmSeconds ? { alarmSeconds: org.alarmSeconds } : {}),
      }),
    );
  } catch (e) {
    throw new UsageError(`${values.config}: ${(e as Error).message}`);
  }
  await Promise.all(bridges.map((b) => b.ready));
  out(`phone bridge running for ${config.orgs.map((o) => o.org).join(', ')}`);
  await stopped(ctx);
  await Promise.all(bridges.map((b) => b.stop()));
}
