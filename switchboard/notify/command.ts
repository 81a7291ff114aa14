// `hanvisa notify`: phone messages to their person by e-mail and SMS, until stopped.

import { type CommandContext, printer, stopped } from '../../cli/context.js';
import { parse, type Spec } from '../../cli/options.js';
import {
  brokerOption,
  DEFAULT_BROKER,
  LOGIN_FLAGS,
  LOGIN_USAGE,
  loginOption,
  orgOption,
} from '../broker-options.js';
import { loadRequired } from '../config-option.js';
import { loadNotifyConfig, type NotifyConfig } from './config.js';
import { startNotifier } from './notifier.js';

const NOTIFY: Spec = {
  usage: `Usage: hanvisa notify --org ORG --config FILE [--broker ${DEFAULT_BROKER}]
                      [--username NAME --password-file FILE] [--check]

Sends each phone message an operator takes to its person by e-mail (and SMS where configured), with
the callback deadline and a one-click "handled" link; retries what fails and tells the board; nudges
staff without a panel before their return time (Web Push or e-mail, one tap extends) (docs/notify.md).
Its broker login is notify-ORG.
  --config         the notifier file (examples/notify.json)
  --check          check the file and say which mailers it uses; no broker
${LOGIN_USAGE.trimEnd()}`,
  options: {
    org: { type: 'string' },
    config: { type: 'string' },
    check: { type: 'boolean' },
    ...LOGIN_FLAGS,
  },
};

export async function notifyCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(NOTIFY, argv, ctx);
  if (!values) return;
  const out = printer(ctx.stdout);
  const config: NotifyConfig = loadRequired(
    values.config as string | undefined,
    'config',
    NOTIFY.usage,
    loadNotifyConfig,
  );
  const mailers = Object.values(config.mailers).map((m) => m.label);
  if (values.check) {
    for (const m of Object.values(config.mailers)) await m.close();
    return out(`notify: ${mailers.join(', ') || 'no mailer'}; links to ${config.publicUrl}`);
  }
  const login = loginOption(values);
  const notifier = startNotifier({
    brokerUrl: brokerOption(values.broker as string | undefined),
    org: orgOption(values.org as string | undefined),
    mailers: config.mailers,
    stateFile: config.stateFile,
    linkSecret: config.linkSecret,
    publicUrl: config.publicUrl,
    http: config.listen,
    retry: config.retry,
    linkTtlMs: config.linkTtlMs,
    ...(config.vapid ? { vapid: config.vapid } : {}),
    managers: config.managers,
    ...(login ? { login } : {}),
  });
  try {
    const stop = stopped(ctx);
    await Promise.race([
      notifier.ready.then(() => out(`notify ${notifier.url()} (${mailers.join(', ')})`)),
      stop,
    ]);
    await stop;
  } finally {
    await notifier.stop();
  }
}
