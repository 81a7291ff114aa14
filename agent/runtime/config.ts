// The desk agent's config file (JSON). Validated by zod; every error names the field it is about
// (`broker.url: Invalid URL`) so whoever edits the file by hand can fix it without reading code.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DeviceId, Ext, issueLines, KeyLayout, QueueId, SEGMENT_PATTERNS } from '../../protocol/index.js';
import { type LayoutName, NAMED_LAYOUTS } from '../../protocol/layouts.js';

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

const FIRMATA_PIN = 'a pin number from 2 (0 and 1 are the serial link) or an analog pin name such as "A0"';
/** A Firmata pin: its number (A0 is 14 on an Uno), or an analog header name such as "A0" */
const FirmataPin = z.union(
  [
    z.number().int(FIRMATA_PIN).min(2, FIRMATA_PIN).max(127, FIRMATA_PIN),
    z.string().regex(/^A\d{1,2}$/, FIRMATA_PIN),
  ],
  FIRMATA_PIN,
);

const FirmataPins = z
  .strictObject({
    keys: z.array(FirmataPin).min(1).max(32),
    leds: z.array(FirmataPin).max(32),
  })
  .superRefine((pins, ctx) => {
    const taken = new Map<string, string>();
    for (const role of ['keys', 'leds'] as const) {
      pins[role].forEach((pin, i) => {
        const other = taken.get(String(pin));
        if (other)
          ctx.addIssue({ code: 'custom', path: [role, i], message: `pin ${pin} is already ${other}` });
        taken.set(String(pin), `${role}.${i}`);
      });
    }
  });

export const Driver = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('virtual') }),
  z.strictObject({
    type: z.literal('serial'),
    path: z.string().min(1),
    /** the firmware's rate; default the panel profile's (250000, hardware/profiles) */
    baudRate: z.number().int().positive().optional(),
  }),
  z.strictObject({
    type: z.literal('hid'),
    path: z.string().min(1).optional(),
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    model: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal('firmata'),
    path: z.string().min(1),
    /** which pins are keys and LEDs; default the Uno profile's (hardware/profiles/firmata-uno.ts) */
    pins: FirmataPins.optional(),
  }),
  z.strictObject({
    type: z.literal('gpio'),
    /** which Pi's header: pins and chip from hardware/profiles/raspberry-pi.ts */
    board: z.enum(['pi4', 'pi5']).default('pi4'),
    /** a chip name instead of finding the header's chip by its label */
    chip: z
      .string()
      .regex(/^gpiochip\d{1,3}$/, 'a chip name such as gpiochip0')
      .optional(),
  }),
  z.strictObject({
    type: z.literal('streamdeck'),
    /** the hidraw path of one deck; otherwise the first (of serialNumber, if given) */
    path: z.string().min(1).optional(),
    serialNumber: z.string().min(1).optional(),
    brightness: z.number().int().min(0).max(100).default(70),
  }),
]);

// Strict objects: an unknown key in a hand-written file is almost always a typo of a known one.
export const AgentConfig = z
  .strictObject({
    org: z.string().regex(SEGMENT_PATTERNS.org, 'org: lower-case letters, digits, -'),
    ext: Ext,
    deviceId: DeviceId,
    broker: z.strictObject({
      url: z.url({ protocol: /^mqtts?$/, error: 'Invalid URL (mqtt:// or mqtts://)' }),
      username: z.string().min(1).optional(),
      password: z.string().optional(),
      /** the link LED says offline within this many seconds of losing the broker (see docs/agent.md) */
      keepaliveSeconds: z.number().int().min(2).max(3600).default(10),
      /** mqtts://: PEM files (paths) and the name the broker's certificate carries; see docs/agent.md */
      caFile: z.string().min(1).optional(),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      servername: z.string().min(1).optional(),
    }),
    /** a layout, or the name of a shipped one; by default the one that fits the driver's panel */
    layout: z
      .union([KeyLayout, z.enum(Object.keys(NAMED_LAYOUTS) as [LayoutName, ...LayoutName[]])], {
        error: `a layout ({ keys, leds }) or one of ${Object.keys(NAMED_LAYOUTS).join(', ')}`,
      })
      .optional(),
    forwardTo: Ext.optional(),
    queues: z.array(QueueId).max(16).default([]),
    driver: Driver.default({ type: 'virtual' }),
    journalPath: z.string().min(1),
    /** overrides the organisation's time zone from directory/org */
    timeZone: TimeZone.optional(),
  })
  .transform(({ layout, ...rest }) => ({ ...rest, layout: resolveLayout(layout, rest.driver.type) }));

/** Panels with 8 keys and 8 LEDs: the 12-key default would drop the message, queue and link lamps. */
const EIGHT_KEY_DRIVERS = new Set(['serial', 'firmata', 'gpio']);

function resolveLayout(layout: KeyLayout | LayoutName | undefined, driver: string): KeyLayout {
  if (typeof layout === 'string') return NAMED_LAYOUTS[layout];
  return layout ?? (EIGHT_KEY_DRIVERS.has(driver) ? NAMED_LAYOUTS['8-key'] : NAMED_LAYOUTS.default);
}

export type AgentConfig = z.infer<typeof AgentConfig>;
export type DriverConfig = z.infer<typeof Driver>;

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
  }
}

/** Validates a parsed config; `baseDir` resolves a relative journalPath (the config file's folder). */
export function parseConfig(json: unknown, source = 'config', baseDir = process.cwd()): AgentConfig {
  const parsed = AgentConfig.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(source, issueLines(parsed.error, { root: '(root)' }));
  }
  return { ...parsed.data, journalPath: resolve(baseDir, parsed.data.journalPath) };
}

export function loadConfig(path: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, [`cannot read: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, [`not valid JSON: ${(e as Error).message}`]);
  }
  return parseConfig(json, path, dirname(resolve(path)));
}
