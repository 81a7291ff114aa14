// `hanvisa agent`: one desk agent from a config file, with the virtual panel in the terminal.
import { parseArgs } from 'node:util';
import { keyLabels, ledLabels } from '../hardware/virtual/labels.js';
import { VirtualPanel } from '../hardware/virtual/panel.js';
import { startTerminal } from '../hardware/virtual/terminal.js';
import { createLogger } from '../protocol/index.js';
import { type Agent, startAgent } from './runtime/agent.js';
import { type AgentConfig, ConfigError, loadConfig } from './runtime/config.js';

const USAGE = `usage: hanvisa agent --config <file> [--driver virtual]

Runs one desk agent. The config file (JSON) is described in docs/agent.md.
  --config, -c   the agent's config file
  --driver       override the config's driver (only "virtual" is available in this build)
  --help, -h     this text`;

export async function agentCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      driver: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.config) throw new Error(`--config is required\n${USAGE}`);

  let config: AgentConfig;
  try {
    config = loadConfig(values.config);
  } catch (e) {
    if (e instanceof ConfigError) throw new Error(`bad config: ${e.message}`);
    throw e;
  }
  const driver = values.driver ?? config.driver.type;
  if (driver !== 'virtual') {
    throw new Error(`driver "${driver}" is not available in this build; use --driver virtual`);
  }

  const log = createLogger(`agent ${config.deviceId}`);
  const leds = Math.max(12, ...config.layout.leds.map((l) => l.led + 1));
  const keys = Math.max(12, ...config.layout.keys.map((k) => k.key + 1));
  const panel = new VirtualPanel({ keys, leds, hardwareId: `virtual-${config.deviceId}` });

  let agent: Agent | undefined;
  let stopping: Promise<void> | undefined;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });

  const terminal = startTerminal({
    panel,
    label: `hanvisa agent ${config.deviceId}: ${config.org} ext ${config.ext} → ${config.broker.url}`,
    keyLabels: keyLabels(config.layout),
    ledLabels: ledLabels(config.layout),
    onQuit: () => void stop(),
  });

  const run = async () => {
    agent = await startAgent(config, { panel, log, onRestart: () => void restart() });
  };
  // The restart command: an orderly stop (offline published, will discarded), then a fresh start from
  // the same file and journal, as a process supervisor would do.
  const restart = async () => {
    await agent?.stop();
    await run();
  };
  const stop = () => {
    stopping ??= (async () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      terminal.close();
      await agent?.stop();
      done();
    })();
    return stopping;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  await run();
  await finished;
}
