// `hanvisa agent`: one desk agent from a config file, with the virtual panel in the terminal or a
// hardware panel's driver.
import { parseArgs } from 'node:util';
import type { KeyPanel } from '../hardware/port.js';
import { SerialPanel } from '../hardware/serial/serial-panel.js';
import { keyLabels, ledLabels } from '../hardware/virtual/labels.js';
import { VirtualPanel } from '../hardware/virtual/panel.js';
import { startTerminal, type Terminal } from '../hardware/virtual/terminal.js';
import { createLogger, type Logger } from '../log/logger.js';
import { type Agent, startAgent } from './runtime/agent.js';
import { type AgentConfig, ConfigError, loadConfig } from './runtime/config.js';

const USAGE = `usage: hanvisa agent --config <file> [--driver virtual|serial|hid|firmata] [--port <path>]

Runs one desk agent. The config file (JSON) is described in docs/agent.md.
  --config, -c   the agent's config file
  --driver       override the config's driver: virtual (keys and LEDs in this terminal) or serial
                 (the hanvisa key panel; path and baudRate from the config) or hid (an X-keys panel
                 or a USB keypad; path, vendorId, productId, model from the config, docs/hid-panels.md)
                 or firmata (an Arduino running StandardFirmata; path and pins from the config,
                 docs/firmata-panels.md)
  --port         the serial port of a serial or firmata panel, instead of the config's path
  --help, -h     this text`;

/** The panel for a driver, and for the virtual one its terminal UI (started once the agent runs). */
async function openDriver(
  driver: string,
  port: string | undefined,
  config: AgentConfig,
  log: Logger,
): Promise<{ panel: KeyPanel; ui?: (onQuit: () => void) => Terminal }> {
  if (port && driver !== 'serial' && driver !== 'firmata')
    throw new Error(`--port is for the serial and firmata drivers, not ${driver}`);
  if (driver === 'hid') {
    if (config.driver.type !== 'hid')
      throw new Error('--driver hid needs a driver of type hid in the config');
    // loaded only here: an agent on another driver never loads node-hid's native module
    const { openHidPanel } = await import('../hardware/hid/open.js');
    return { panel: await openHidPanel(config.driver, { log }) };
  }
  if (driver === 'serial') {
    const serial = config.driver.type === 'serial' ? config.driver : undefined;
    const path = port ?? serial?.path;
    if (!path) throw new Error('--driver serial needs driver.path in the config, or --port');
    const baudRate = serial?.baudRate;
    return { panel: new SerialPanel({ path, ...(baudRate ? { baudRate } : {}), log }) };
  }
  if (driver === 'firmata') {
    const firmata = config.driver.type === 'firmata' ? config.driver : undefined;
    const path = port ?? firmata?.path;
    if (!path) throw new Error('--driver firmata needs driver.path in the config, or --port');
    // loaded only here: an agent on another driver never loads johnny-five
    const { FirmataPanel } = await import('../hardware/firmata/firmata-panel.js');
    return { panel: new FirmataPanel({ path, ...(firmata?.pins ? { pins: firmata.pins } : {}), log }) };
  }
  if (driver !== 'virtual')
    throw new Error(`driver "${driver}" is not available in this build; use virtual, serial, hid or firmata`);
  const leds = Math.max(12, ...config.layout.leds.map((l) => l.led + 1));
  const keys = Math.max(12, ...config.layout.keys.map((k) => k.key + 1));
  const panel = new VirtualPanel({ keys, leds, hardwareId: `virtual-${config.deviceId}` });
  const ui = (onQuit: () => void) =>
    startTerminal({
      panel,
      label: `hanvisa agent ${config.deviceId}: ${config.org} ext ${config.ext} → ${config.broker.url}`,
      keyLabels: keyLabels(config.layout),
      ledLabels: ledLabels(config.layout),
      onQuit,
    });
  return { panel, ui };
}

export async function agentCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      driver: { type: 'string' },
      port: { type: 'string' },
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
  const log = createLogger(`agent ${config.deviceId}`);
  const { panel, ui } = await openDriver(driver, values.port, config, log);

  let agent: Agent | undefined;
  let stopping: Promise<void> | undefined;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });

  const terminal = ui?.(() => void stop());

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
      terminal?.close();
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
