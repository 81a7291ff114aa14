// `hanvisa agent`: one desk agent from a config file, with the virtual panel in the terminal or a
// hardware panel's driver.
import { type CommandContext, stopped } from '../cli/context.js';
import { parse, type Spec } from '../cli/options.js';
import { UsageError } from '../cli/usage-error.js';
import { createLogger, sendLogsTo } from '../log/logger.js';
import { keyLabels, ledLabels } from './desk/labels.js';
import { DRIVERS, driverNames, openDriver } from './drivers.js';
import { type Agent, startAgent } from './runtime/agent.js';
import { loadConfig } from './runtime/config.js';

const AGENT: Spec = {
  usage: `Usage: hanvisa agent --config <file> [--driver ${driverNames().join('|')}] [--port <path>]

Runs one desk agent. The config file (JSON) is described in docs/agent.md.
  --config, -c   the agent's config file
  --driver       override the config's driver:
${DRIVERS.map((d) => `                   ${d.type.padEnd(10)} ${d.about} (${d.doc})`).join('\n')}
  --port         the serial port of a ${DRIVERS.filter((d) => d.serialPort)
    .map((d) => d.type)
    .join(' or ')} panel, instead of the config's path
  --help, -h     this text`,
  options: {
    config: { type: 'string', short: 'c' },
    driver: { type: 'string' },
    port: { type: 'string' },
  },
};

export async function agentCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(AGENT, argv, ctx) as { config?: string; driver?: string; port?: string } | undefined;
  if (!values) return;
  if (!values.config) throw new UsageError(`--config is required\n\n${AGENT.usage}`);

  // a bad file throws a ConfigFileError that names the file and every bad field
  const config = loadConfig(values.config);
  const driver = values.driver ?? config.driver.type;
  const log = createLogger(`agent ${config.deviceId}`);
  const { panel, ui } = await openDriver(driver, { config, port: values.port, log });

  let agent: Agent | undefined;
  // the terminal's own quit key stops the agent as SIGINT does
  const quit = new AbortController();
  const terminal = ui?.(() => quit.abort());
  // Log lines on the terminal the desk is drawn on go above its LED line, never into it.
  const restoreLogs =
    terminal && process.stdout.isTTY && process.stderr.isTTY
      ? sendLogsTo((line) => terminal.log(line))
      : undefined;
  let unfollow: (() => void) | undefined;
  const run = async () => {
    const started = await startAgent(config, {
      panel,
      log,
      onRestart: () => void restart(),
      // an orderly stop as on SIGTERM; systemd (Restart=always) then starts the release now current
      onUpdated: () => quit.abort(),
    });
    agent = started;
    // the terminal's captions follow the layout and reasons in force (IT may push another)
    unfollow?.();
    unfollow =
      terminal &&
      started.onChange(() =>
        terminal.caption(
          keyLabels(started.layout, started.reasons),
          ledLabels(started.layout, started.reasons),
        ),
      );
  };
  // The restart command: an orderly stop (offline published, will discarded), then a fresh start from
  // the same file and journal, as a process supervisor would do.
  const restart = async () => {
    await agent?.stop();
    await run();
  };
  // listening before the start: a SIGINT while the agent starts stops it once it has
  const stop = stopped(ctx, quit.signal);
  try {
    await run();
    await stop;
  } finally {
    quit.abort(); // a start that failed leaves nothing to wait for
    unfollow?.();
    terminal?.close();
    restoreLogs?.();
    await agent?.stop();
  }
}
