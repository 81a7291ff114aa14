// What a key-panel driver is in the registry (../drivers.ts): an adapter `{ type, schema, create }`
// whose settings are the config's `driver` block, plus what `hanvisa agent --help` says about it. A
// driver file imports its hardware only inside `create`, so a desk loads only its own panel's code.
import type { z } from 'zod';
import type { Adapter } from '../../config/registry.js';
import type { KeyPanel } from '../../hardware/port.js';
import type { Terminal } from '../../hardware/virtual/terminal.js';
import type { Logger } from '../../log/logger.js';
import type { KeyLayout } from '../../protocol/index.js';
import type { LayoutName } from '../../protocol/layouts.js';

export interface DriverRequest {
  /** the desk as the config file says (the virtual panel shows it); `driver.type` is the config's driver */
  config: {
    org: string;
    ext: string;
    deviceId: string;
    broker: { url: string };
    layout: KeyLayout;
    driver: { type: string };
  };
  /** `--port`: a serial device path instead of the config's */
  port: string | undefined;
  log: Logger;
}

export interface OpenedDriver {
  panel: KeyPanel;
  /** the virtual panel's terminal UI, started once the agent runs */
  ui?: (onQuit: () => void) => Terminal;
}

export interface DriverEntry<Type extends string, Schema extends z.ZodObject>
  extends Adapter<Type, Schema, DriverRequest, Promise<OpenedDriver>> {
  /** one line for `hanvisa agent --help`, followed there by the doc */
  about: string;
  /** the device's page: wiring, the udev rule, a key map (agent/drivers-docs.test.ts checks they exist) */
  doc: string;
  /** the driver reads a serial port, so `--port` applies */
  serialPort: boolean;
  /** the shipped layout that fits the panel when the config names none (8 keys and LEDs: '8-key') */
  layout: LayoutName;
  /** `settings` is undefined when `--driver` picks another driver than the config's */
  create(settings: z.output<Schema> | undefined, request: DriverRequest): Promise<OpenedDriver>;
}

/** A driver with its settings typed from its schema. */
export function driver<const Type extends string, Schema extends z.ZodObject>(
  entry: DriverEntry<Type, Schema>,
): DriverEntry<Type, Schema> {
  return entry;
}

/** `--port`, else the config's path: a serial driver needs one of them. */
export function serialPath(name: string, request: DriverRequest, configured: string | undefined): string {
  const path = request.port ?? configured;
  if (!path) throw new Error(`--driver ${name} needs driver.path in the config, or --port`);
  return path;
}
