// `hanvisa calendar`: refers staff from their calendars until stopped.

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
import { startCalendarBridge } from './bridge.js';
import { type CalendarConfig, loadCalendarConfig } from './config.js';

const CALENDAR: Spec = {
  usage: `Usage: hanvisa calendar --org ORG --config FILE [--broker ${DEFAULT_BROKER}]
                        [--username NAME --password-file FILE] [--check]

Refers people's phones from their calendars ("SAM: budget" = meeting; docs/calendar.md): polls each
person's ICS link, .ics file or CalDAV calendar, merges back-to-back entries into one total absence,
and never overrides what the person or an operator set by hand. Its broker login is calendar-ORG.
  --config         the calendar file (examples/calendar.json)
  --check          check the file and list whose calendar is read from where; no broker
${LOGIN_USAGE.trimEnd()}`,
  options: {
    org: { type: 'string' },
    config: { type: 'string' },
    check: { type: 'boolean' },
    ...LOGIN_FLAGS,
  },
};

export async function calendarCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(CALENDAR, argv, ctx);
  if (!values) return;
  const out = printer(ctx.stdout);
  const config: CalendarConfig = loadRequired(
    values.config as string | undefined,
    'config',
    CALENDAR.usage,
    loadCalendarConfig,
  );
  if (values.check) {
    for (const p of config.people) out(`${p.ext}\t${p.source.label}`);
    return out(
      `${config.people.length} calendars, ${config.rules.length} prefixes, gap ${config.gapMinutes} min`,
    );
  }
  const login = loginOption(values);
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
