// `hanvisa agent`: one desk agent from a config file, with the virtual panel in the terminal or a
// hardware panel's driver.
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/usage-error.js';
import { createLogger } from '../log/logger.js';
import { DRIVERS, driverNames, openDriver } from './drivers.js';
import { type Agent, startAgent } from './runtime/agent.js';
import { loadConfig } from './runtime/config.js';

const USAGE = `Usage: hanvisa agent --config <file> [--driver ${driverNames().join('|')}] [--port <path>]

Runs one desk agent. The config file (JSON) is described in docs/agent.md.
  --config, -c   the agent's config file
  --driver       override the config's driver:
${DRIVERS.map((d) => `                   ${d.type.padEnd(10)} ${d.about} (${d.doc})`).join('\n')}
  --port         the serial port of a ${DRIVERS.filter((d) => d.serialPort)
    .map((d) => d.type)
    .join(' or ')} panel, instead of the config's path
  --help, -h     this text`;

export async function agentCommand(argv: string[]): Promise<void> {
  let values: { config?: string; driver?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        driver: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.config) throw new UsageError(`--config is required\n${USAGE}`);

  // a bad file throws a ConfigFileError that names the file and every bad field
  const config = loadConfig(values.config);
  const driver = values.driver ?? config.driver.type;
  const log = createLogger(`agent ${config.deviceId}`);
  const { panel, ui } = await openDriver(driver, { config, port: values.port, log });

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
