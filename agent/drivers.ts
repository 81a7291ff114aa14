// The key-panel drivers `hanvisa agent` can run: one file per hardware family in drivers/, each
// importing its hardware only when chosen, so a desk carries only its own panel's code (a Pi on the
// serial panel never loads node-hid or johnny-five). The config's `driver` block is checked against
// this list (runtime/config.ts), so a new driver is its file in drivers/ and one line here.
import type { z } from 'zod';
import type { DriverEntry, DriverRequest, OpenedDriver } from './drivers/driver.js';
import { firmataDriver } from './drivers/firmata.js';
import { gpioDriver } from './drivers/gpio.js';
import { hidDriver } from './drivers/hid.js';
import { serialDriver } from './drivers/serial.js';
import { streamDeckDriver } from './drivers/streamdeck.js';
import { virtualDriver } from './drivers/virtual.js';

export type { DriverRequest, OpenedDriver } from './drivers/driver.js';

export const DRIVERS = [
  virtualDriver,
  serialDriver,
  hidDriver,
  firmataDriver,
  gpioDriver,
  streamDeckDriver,
] as const;

/** Any of the drivers, for choosing one by name. */
const ANY_DRIVER: readonly DriverEntry<string, z.ZodObject>[] = DRIVERS;

export const driverNames = (): string[] => DRIVERS.map((d) => d.type);

/** The driver's panel, or a clear error for an unknown driver or a misplaced `--port`. */
export function openDriver(name: string, request: DriverRequest): Promise<OpenedDriver> {
  const entry = ANY_DRIVER.find((d) => d.type === name);
  if (!entry)
    throw new Error(`driver "${name}" is not available in this build; use ${driverNames().join(', ')}`);
  if (request.port && !entry.serialPort) {
    const serial = DRIVERS.filter((d) => d.serialPort).map((d) => d.type);
    throw new Error(`--port is for the ${serial.join(' and ')} drivers, not ${name}`);
  }
  // the config's settings when they are this driver's (its schema checked them), else none
  const { driver } = request.config;
  return entry.create(driver.type === name ? driver : undefined, request);
}
