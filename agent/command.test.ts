// `hanvisa agent`'s command line: misuse is a UsageError (exit 2 with the usage, as every other
// command), and drivers come from the registry with their own refusals.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/usage-error.js';
import { createLogger } from '../log/logger.js';
import { agentCommand } from './command.js';
import { driverNames, openDriver } from './drivers.js';
import { parseConfig } from './runtime/config.js';

const config = parseConfig({
  org: 'acme',
  ext: '100',
  deviceId: 'desk-1',
  broker: { url: 'mqtt://127.0.0.1:1883' },
  journalPath: 'j',
});
const log = createLogger('test');

describe('hanvisa agent command line', () => {
  it.each([[['--bogus']], [[]], [['--config']]])(
    'refuses %j as a usage error that carries the usage',
    async (argv) => {
      const error = await agentCommand(argv).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain('Usage: hanvisa agent --config <file>');
    },
  );

  it('lists every registered driver in its usage', async () => {
    const error = (await agentCommand(['--bogus']).catch((e: unknown) => e)) as Error;
    for (const name of driverNames()) expect(error.message).toContain(`${name} `);
  });
});

describe('the driver registry', () => {
  it('refuses an unknown driver, naming the ones it has', () => {
    expect(() => openDriver('zigbee', { config, port: undefined, log })).toThrow(
      /driver "zigbee" is not available in this build; use virtual, serial, hid, firmata, gpio, streamdeck/,
    );
  });

  it('refuses --port for a driver that reads no serial port', () => {
    expect(() => openDriver('hid', { config, port: '/dev/ttyUSB0', log })).toThrow(
      '--port is for the serial and firmata drivers, not hid',
    );
  });

  it('asks for a path where a serial driver has none', async () => {
    await expect(openDriver('serial', { config, port: undefined, log })).rejects.toThrow(
      '--driver serial needs driver.path in the config, or --port',
    );
  });

  it('opens the virtual panel with room for the whole layout', async () => {
    const { panel, ui } = await openDriver('virtual', { config, port: undefined, log });
    expect(ui).toBeTypeOf('function');
    await panel.close();
  });
});
