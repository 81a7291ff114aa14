// The desk agent's config file (JSON). Validated by zod; every error names the field it is about
// (`broker.url: Invalid URL`) so whoever edits the file by hand can fix it without reading code.

import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigFileError } from '../../config/config-file-error.js';
import { checkValue, readJsonFile } from '../../config/json-file.js';
import { taggedUnion } from '../../config/registry.js';
import { readSecretFile } from '../../config/secret-file.js';
import { readTextFile } from '../../config/text-file.js';
import { brokerUrls } from '../../mqtt/client.js';
import { DeviceId, Ext, KeyLayout, QueueId, SEGMENT_PATTERNS } from '../../protocol/index.js';
import { type LayoutName, NAMED_LAYOUTS } from '../../protocol/layouts.js';
import { forwardRefusal } from '../../rules/forward.js';
import { DRIVERS } from '../drivers.js';
import { updateKey } from '../update/verify.js';

/** A desk talks MQTT over TCP (no WebSocket): one URL, or several for a cluster's nodes. */
function isDeskBroker(setting: string): boolean {
  try {
    return brokerUrls(setting).every((url) => url.protocol === 'mqtt:' || url.protocol === 'mqtts:');
  } catch {
    return false;
  }
}

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

/** The config's `driver` block: `{ "type": "serial", …that driver's settings }`, one of DRIVERS. */
const Driver = taggedUnion(DRIVERS);

// Strict objects: an unknown key in a hand-written file is almost always a typo of a known one.
export const AgentConfig = z
  .strictObject({
    org: z.string().regex(SEGMENT_PATTERNS.org, 'org: lower-case letters, digits, -'),
    ext: Ext,
    deviceId: DeviceId,
    broker: z
      .strictObject({
        /** one broker, or a cluster's nodes comma-separated: each reconnect tries the next (docs/agent.md) */
        url: z.string().refine(isDeskBroker, 'Invalid URL (mqtt:// or mqtts://, several comma-separated)'),
        username: z.string().min(1).optional(),
        password: z.string().optional(),
        /** the password in a file of its own (one line), so the config holds no secret; relative to the config */
        passwordFile: z.string().min(1).optional(),
        /** the link LED says offline within this many seconds of losing the broker (see docs/agent.md) */
        keepaliveSeconds: z.number().int().min(2).max(3600).default(10),
        /** mqtts://: PEM files (paths) and the name the broker's certificate carries; see docs/agent.md */
        caFile: z.string().min(1).optional(),
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
        servername: z.string().min(1).optional(),
      })
      .refine(
        (b) => b.password === undefined || b.passwordFile === undefined,
        'password or passwordFile, not both',
      ),
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
    /** agent updates over MQTT (docs/provisioning.md, "Agent updates"); without it the desk refuses them */
    update: z
      .strictObject({
        /** IT's Ed25519 public key (PEM), relative to the config; never the private key */
        publicKeyFile: z.string().min(1),
        /** where the releases and the `current` link live: the unit's StateDirectory */
        stateDir: z.string().min(1).default('/var/lib/hanvisa'),
        /** the new agent must be online this soon after the switch, or the desk switches back */
        deadlineSeconds: z.number().int().min(10).max(3600).default(120),
        downloadSeconds: z.number().int().min(5).max(3600).default(300),
      })
      .optional(),
  })
  // issue 23: a forward to the desk's own extension reaches nobody (rules/forward.ts; the switchboard's
  // number is checked when the org's settings arrive, device-settings.ts)
  .refine((c) => c.forwardTo === undefined || forwardRefusal(c.ext, c.forwardTo, undefined) === null, {
    path: ['forwardTo'],
    message: "the desk's own extension: a forward there reaches nobody",
  })
  .transform(({ layout, ...rest }) => ({ ...rest, layout: resolveLayout(layout, rest.driver.type) }));

/** The layout named, or the one that fits the driver's panel (8 keys: the 12-key default would drop lamps). */
function resolveLayout(layout: KeyLayout | LayoutName | undefined, driver: string): KeyLayout {
  if (typeof layout === 'string') return NAMED_LAYOUTS[layout];
  return layout ?? NAMED_LAYOUTS[DRIVERS.find((d) => d.type === driver)?.layout ?? 'default'];
}

export type AgentConfig = z.infer<typeof AgentConfig>;

/**
 * Validates a parsed config; `baseDir` resolves a relative journalPath and passwordFile (the config
 * file's folder). The password file is read here: a missing one stops the start, naming it.
 */
export function parseConfig(json: unknown, source = 'agent config', baseDir = process.cwd()): AgentConfig {
  return filesIn(baseDir, checkValue(json, AgentConfig, source));
}

/** A missing or wrong key stops the start, naming the file: a desk must not find out at its first update. */
function checkUpdateKey(path: string): void {
  const pem = readTextFile(path, 'update.publicKeyFile');
  try {
    updateKey(pem);
  } catch (e) {
    throw new ConfigFileError(`update.publicKeyFile ${path}`, [(e as Error).message]);
  }
}

/** The config file; a ConfigFileError names the file and every bad field. */
export function loadConfig(path: string): AgentConfig {
  return filesIn(dirname(resolve(path)), readJsonFile(path, AgentConfig, 'agent config'));
}

const filesIn = (baseDir: string, config: AgentConfig): AgentConfig => {
  const { passwordFile, ...broker } = config.broker;
  const update = config.update && {
    ...config.update,
    publicKeyFile: resolve(baseDir, config.update.publicKeyFile),
    stateDir: resolve(baseDir, config.update.stateDir),
  };
  if (update) checkUpdateKey(update.publicKeyFile);
  return {
    ...config,
    ...(update ? { update } : {}),
    broker:
      passwordFile === undefined
        ? broker
        : { ...broker, password: readSecretFile(resolve(baseDir, passwordFile), 'broker.passwordFile') },
    journalPath: resolve(baseDir, config.journalPath),
  };
};
