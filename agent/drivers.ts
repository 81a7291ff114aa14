// The key-panel drivers `hanvisa agent` can run, by name: one entry per hardware family, each
// importing its driver only when chosen, so a desk carries only its own panel's code (a Pi on the
// serial panel never loads node-hid or johnny-five). A new driver is one entry here.
import type { KeyPanel } from '../hardware/port.js';
import type { Terminal } from '../hardware/virtual/terminal.js';
import type { Logger } from '../log/logger.js';
import type { AgentConfig, DriverConfig } from './runtime/config.js';

export interface DriverRequest {
  config: AgentConfig;
  /** `--port`: a serial device path instead of the config's */
  port: string | undefined;
  log: Logger;
}

export interface OpenedDriver {
  panel: KeyPanel;
  /** the virtual panel's terminal UI, started once the agent runs */
  ui?: (onQuit: () => void) => Terminal;
}

interface DriverEntry {
  /** one line for `hanvisa agent --help`, followed there by the doc */
  about: string;
  /** the device's page: wiring, the udev rule, a key map (agent/drivers-docs.test.ts checks they exist) */
  doc: string;
  /** the driver reads a serial port, so `--port` applies */
  serialPort: boolean;
  open(request: DriverRequest): Promise<OpenedDriver>;
}

/** The config's driver settings when they are of this driver's type. */
function settings<T extends DriverConfig['type']>(
  config: AgentConfig,
  type: T,
): Extract<DriverConfig, { type: T }> | undefined {
  return config.driver.type === type ? (config.driver as Extract<DriverConfig, { type: T }>) : undefined;
}

function serialPath(name: string, request: DriverRequest, configured: string | undefined): string {
  const path = request.port ?? configured;
  if (!path) throw new Error(`--driver ${name} needs driver.path in the config, or --port`);
  return path;
}

export const DRIVERS: Record<string, DriverEntry> = {
  virtual: {
    about: 'keys and LEDs in this terminal',
    doc: 'docs/virtual-panel.md',
    serialPort: false,
    async open({ config }) {
      const [{ VirtualPanel }, { keyLabels, ledLabels }, { startTerminal }] = await Promise.all([
        import('../hardware/virtual/panel.js'),
        import('./desk/labels.js'),
        import('../hardware/virtual/terminal.js'),
      ]);
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
    },
  },
  serial: {
    about: 'the hanvisa key panel; path and baudRate from the config',
    doc: 'docs/panel-wiring.md',
    serialPort: true,
    async open(request) {
      const serial = settings(request.config, 'serial');
      const path = serialPath('serial', request, serial?.path);
      const { SerialPanel } = await import('../hardware/serial/serial-panel.js');
      const baudRate = serial?.baudRate;
      return { panel: new SerialPanel({ path, ...(baudRate ? { baudRate } : {}), log: request.log }) };
    },
  },
  hid: {
    about: 'an X-keys panel or a USB keypad; path, vendorId, productId, model from the config',
    doc: 'docs/hid-panels.md',
    serialPort: false,
    async open({ config, log }) {
      const hid = settings(config, 'hid');
      if (!hid) throw new Error('--driver hid needs a driver of type hid in the config');
      const { openHidPanel } = await import('../hardware/hid/open.js');
      return { panel: await openHidPanel(hid, { log }) };
    },
  },
  firmata: {
    about: 'an Arduino running StandardFirmata; path and pins from the config',
    doc: 'docs/firmata-panels.md',
    serialPort: true,
    async open(request) {
      const firmata = settings(request.config, 'firmata');
      const path = serialPath('firmata', request, firmata?.path);
      const { FirmataPanel } = await import('../hardware/firmata/firmata-panel.js');
      const pins = firmata?.pins;
      return { panel: new FirmataPanel({ path, ...(pins ? { pins } : {}), log: request.log }) };
    },
  },
  gpio: {
    about: "keys and LEDs on a Raspberry Pi's header; board (pi4, pi5) and chip from the config",
    doc: 'docs/gpio-panels.md',
    serialPort: false,
    async open({ config, log }) {
      const gpio = settings(config, 'gpio');
      const [{ GpioPanel }, { findGpioProfile }] = await Promise.all([
        import('../hardware/gpio/gpio-panel.js'),
        import('../hardware/profiles/raspberry-pi.js'),
      ]);
      const board = gpio?.board ?? 'pi4';
      const profile = findGpioProfile(board);
      if (!profile) throw new Error(`no GPIO profile for board ${board}`);
      return { panel: new GpioPanel({ profile, ...(gpio?.chip ? { chip: gpio.chip } : {}), log }) };
    },
  },
  streamdeck: {
    about: 'an Elgato Stream Deck; path, serialNumber, brightness from the config',
    doc: 'docs/streamdeck.md',
    serialPort: false,
    async open({ config, log }) {
      const deck = settings(config, 'streamdeck');
      const { StreamDeckPanel } = await import('../hardware/streamdeck/streamdeck-panel.js');
      return {
        panel: new StreamDeckPanel({
          ...(deck?.path ? { path: deck.path } : {}),
          ...(deck?.serialNumber ? { serialNumber: deck.serialNumber } : {}),
          ...(deck ? { brightness: deck.brightness } : {}),
          log,
        }),
      };
    },
  },
};

/** The driver's panel, or a clear error for an unknown driver or a misplaced `--port`. */
export function openDriver(name: string, request: DriverRequest): Promise<OpenedDriver> {
  const entry = DRIVERS[name];
  if (!entry)
    throw new Error(
      `driver "${name}" is not available in this build; use ${Object.keys(DRIVERS).join(', ')}`,
    );
  if (request.port && !entry.serialPort) {
    const serial = Object.keys(DRIVERS).filter((n) => DRIVERS[n]?.serialPort);
    throw new Error(`--port is for the ${serial.join(' and ')} drivers, not ${name}`);
  }
  return entry.open(request);
}
