// Payload schemas of the desk devices: state, config and its key layout, commands and agent updates
// (device/{id}/...); re-exported by schemas.ts, the contract's one import point.
import { z } from 'zod';
import { Ext, IsoTime, QueueId, ReasonCode, Text } from './schema-primitives.js';

/** The largest agent package a desk downloads (the built agent is a few MB; node_modules stay on the desk). */
export const MAX_AGENT_PACKAGE_BYTES = 64 * 1024 * 1024;

export const PanelInfo = z.object({
  hardwareId: Text(64).min(1),
  model: Text(64).min(1),
  keys: z.number().int().min(0).max(256),
  leds: z.number().int().min(0).max(256),
  firmware: Text(32).optional(),
});

/** device/{id}/state: birth message, retained; the will sets `online: false`. */
export const DeviceState = z.object({
  v: z.literal(1),
  online: z.boolean(),
  at: IsoTime.optional(),
  ext: Ext.optional(),
  agent: Text(32).optional(),
  panel: PanelInfo.optional(),
  configVersion: z.number().int().nonnegative().optional(),
  /** the panel (keys/LEDs) is attached to the agent; false when the agent runs but the panel is unplugged */
  panelConnected: z.boolean().optional(),
  /** what the desk cannot do on this panel (a layout's key or LED the panel lacks), for IT to see */
  warnings: z.array(Text(200)).max(16).optional(),
});

/** What a key does. Shared by device config and the agent's local layout. */
export const KeyAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reason'), reason: ReasonCode }),
  z.object({ type: z.literal('open') }),
  z.object({ type: z.literal('extend'), minutes: z.number().int().min(1).max(240) }),
  z.object({ type: z.literal('shorten'), minutes: z.number().int().min(1).max(240) }),
  z.object({ type: z.literal('alt-forward') }),
  z.object({
    type: z.literal('alt-info'),
    /** issue 23: what the operator is told (SAMSA: "information om alternativ anknytning"); absent: no text */
    text: Text(120).optional(),
  }),
  z.object({ type: z.literal('message-handled') }),
]);

/** What an LED shows. */
export const LedRole = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reason'), reason: ReasonCode }),
  z.object({ type: z.literal('available') }),
  z.object({ type: z.literal('alt') }),
  z.object({ type: z.literal('message') }),
  z.object({ type: z.literal('queue'), queue: QueueId }),
  z.object({ type: z.literal('link') }),
  /** a colleague's phone (line/{ext}): in a call or ringing, so a transfer or forward does not go into a busy line */
  z.object({ type: z.literal('line'), ext: Ext }),
]);

/** Each key and each LED appears at most once: two entries for one key would make its action ambiguous. */
export const KeyLayout = z
  .object({
    keys: z.array(z.object({ key: z.number().int().min(0).max(255), action: KeyAction })).max(256),
    leds: z.array(z.object({ led: z.number().int().min(0).max(255), role: LedRole })).max(256),
  })
  .superRefine((layout, ctx) => {
    const once = (list: 'keys' | 'leds', indices: number[]) => {
      const seen = new Set<number>();
      indices.forEach((n, i) => {
        if (seen.has(n)) ctx.addIssue({ code: 'custom', message: `${n} appears twice`, path: [list, i] });
        seen.add(n);
      });
    };
    once(
      'keys',
      layout.keys.map((k) => k.key),
    );
    once(
      'leds',
      layout.leds.map((l) => l.led),
    );
  })
  .describe('key and LED indices are unique within the layout');

/** device/{id}/config: IT → device, retained. The device acks with the applied version or a reason. */
export const DeviceConfig = z.object({
  v: z.literal(1),
  version: z.number().int().min(1),
  ext: Ext,
  layout: KeyLayout,
  forwardTo: Ext.optional(),
  queues: z.array(QueueId).max(16).default([]),
});

export const DeviceConfigAck = z.object({
  v: z.literal(1),
  version: z.number().int().min(0),
  ok: z.boolean(),
  reason: Text(500).optional(),
  at: IsoTime,
});

export const DeviceCommand = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  cmd: z.enum(['identify', 'restart', 'inventory']),
  seconds: z.number().int().min(1).max(300).optional(),
});

export const DeviceCommandResult = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  ok: z.boolean(),
  detail: Text(2000).optional(),
  at: IsoTime,
});

/**
 * device/{deviceId}/update: IT orders the desk to run another agent release. The package's bytes do
 * not travel over MQTT (payloads are capped at 64 KiB): the desk fetches them from `url` and checks
 * `size`, `sha256` and IT's Ed25519 `signature` over packageStatement() before it stages anything.
 */
export const DeviceUpdate = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]{1,40})?$/, 'version: semver, e.g. 0.2.0'),
  url: z.url({ protocol: /^https?$/, error: 'Invalid URL (http:// or https://)' }).max(2000),
  /** bytes of the .tar.gz; the desk stops reading beyond it */
  size: z.number().int().min(1).max(MAX_AGENT_PACKAGE_BYTES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256: 64 lower-case hex digits'),
  /** Ed25519 over packageStatement(version, size, sha256), base64 */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'signature: 64 bytes, base64'),
});

export type PanelInfo = z.infer<typeof PanelInfo>;
export type DeviceState = z.infer<typeof DeviceState>;
export type KeyAction = z.infer<typeof KeyAction>;
export type LedRole = z.infer<typeof LedRole>;
export type KeyLayout = z.infer<typeof KeyLayout>;
export type DeviceConfig = z.infer<typeof DeviceConfig>;
export type DeviceConfigAck = z.infer<typeof DeviceConfigAck>;
export type DeviceCommand = z.infer<typeof DeviceCommand>;
export type DeviceCommandResult = z.infer<typeof DeviceCommandResult>;
export type DeviceUpdate = z.infer<typeof DeviceUpdate>;
