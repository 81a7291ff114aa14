// Arbitraries for a desk's messages: presence and the device kinds (state, config, commands, update).
import fc from 'fast-check';
import type * as S from '../../../protocol/schemas.js';
import { MAX_AGENT_PACKAGE_BYTES } from '../../../protocol/schemas.js';
import {
  actor,
  altAnswer,
  count,
  ext,
  id64,
  isoMinute,
  isoTime,
  queueId,
  reasonCode,
  text,
} from './primitives.js';

const presenceCommon = {
  since: isoTime,
  alt: fc.option(altAnswer, { nil: null }),
  note: text(80),
  seq: fc.maxSafeNat(),
  by: actor,
  at: isoTime,
};
const presenceRequired = ['v', 'status', 'reason', 'since', 'until', 'alt', 'seq', 'by', 'at'] as const;

/** Available: no reason, no return time. */
export const presenceAvailable: fc.Arbitrary<S.Presence> = fc.record(
  {
    v: fc.constant(1 as const),
    status: fc.constant('available' as const),
    reason: fc.constant(null),
    until: fc.constant(null),
    ...presenceCommon,
  },
  { requiredKeys: [...presenceRequired] },
);
/** Away: a reason, and a whole-minute return time or null (until further notice). */
export const presenceAway: fc.Arbitrary<S.Presence> = fc.record(
  {
    v: fc.constant(1 as const),
    status: fc.constant('away' as const),
    reason: reasonCode,
    until: fc.option(isoMinute, { nil: null }),
    ...presenceCommon,
  },
  { requiredKeys: [...presenceRequired] },
);
export const presence: fc.Arbitrary<S.Presence> = fc.oneof(presenceAvailable, presenceAway);

export const panelInfo: fc.Arbitrary<S.PanelInfo> = fc.record(
  {
    hardwareId: text(64, 1),
    model: text(64, 1),
    keys: fc.integer({ min: 0, max: 256 }),
    leds: fc.integer({ min: 0, max: 256 }),
    firmware: text(32),
  },
  { requiredKeys: ['hardwareId', 'model', 'keys', 'leds'] },
);

export const deviceState: fc.Arbitrary<S.DeviceState> = fc.record(
  {
    v: fc.constant(1 as const),
    online: fc.boolean(),
    at: isoTime,
    ext,
    agent: text(32),
    panel: panelInfo,
    configVersion: count,
    panelConnected: fc.boolean(),
  },
  { requiredKeys: ['v', 'online'] },
);

const minutes = fc.integer({ min: 1, max: 240 });
export const keyAction: fc.Arbitrary<S.KeyAction> = fc.oneof(
  fc.record({ type: fc.constant('reason' as const), reason: reasonCode }),
  fc.record({ type: fc.constant('open' as const) }),
  fc.record({ type: fc.constant('extend' as const), minutes }),
  fc.record({ type: fc.constant('shorten' as const), minutes }),
  fc.record({ type: fc.constant('alt-forward' as const) }),
  fc.record({ type: fc.constant('alt-info' as const), text: text(120) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('message-handled' as const) }),
);

export const ledRole: fc.Arbitrary<S.LedRole> = fc.oneof(
  fc.record({ type: fc.constant('reason' as const), reason: reasonCode }),
  fc.record({ type: fc.constant('available' as const) }),
  fc.record({ type: fc.constant('alt' as const) }),
  fc.record({ type: fc.constant('message' as const) }),
  fc.record({ type: fc.constant('queue' as const), queue: queueId }),
  fc.record({ type: fc.constant('link' as const) }),
  fc.record({ type: fc.constant('line' as const), ext }),
);

const index = fc.integer({ min: 0, max: 255 });
export const keyLayout: fc.Arbitrary<S.KeyLayout> = fc.record({
  keys: fc.uniqueArray(fc.record({ key: index, action: keyAction }), {
    maxLength: 24,
    selector: (k) => k.key,
  }),
  leds: fc.uniqueArray(fc.record({ led: index, role: ledRole }), { maxLength: 24, selector: (l) => l.led }),
});

export const deviceConfig: fc.Arbitrary<S.DeviceConfig> = fc.record(
  {
    v: fc.constant(1 as const),
    version: fc.integer({ min: 1, max: 1_000_000 }),
    ext,
    layout: keyLayout,
    forwardTo: ext,
    queues: fc.array(queueId, { maxLength: 16 }),
  },
  { requiredKeys: ['v', 'version', 'ext', 'layout', 'queues'] },
);

export const deviceConfigAck: fc.Arbitrary<S.DeviceConfigAck> = fc.record(
  { v: fc.constant(1 as const), version: count, ok: fc.boolean(), reason: text(500), at: isoTime },
  { requiredKeys: ['v', 'version', 'ok', 'at'] },
);

export const deviceCommand: fc.Arbitrary<S.DeviceCommand> = fc.record(
  {
    v: fc.constant(1 as const),
    id: id64,
    cmd: fc.constantFrom('identify', 'restart', 'inventory'),
    seconds: fc.integer({ min: 1, max: 300 }),
  },
  { requiredKeys: ['v', 'id', 'cmd'] },
);

export const deviceCommandResult: fc.Arbitrary<S.DeviceCommandResult> = fc.record(
  { v: fc.constant(1 as const), id: id64, ok: fc.boolean(), detail: text(2000), at: isoTime },
  { requiredKeys: ['v', 'id', 'ok', 'at'] },
);

export const deviceUpdate: fc.Arbitrary<S.DeviceUpdate> = fc.record({
  v: fc.constant(1 as const),
  id: id64,
  version: fc
    .tuple(fc.nat(99), fc.nat(99), fc.nat(99))
    .map(([major, minor, patch]) => `${major}.${minor}.${patch}`),
  url: fc.constantFrom('https://it.example.org/hanvisa-agent.tar.gz', 'http://10.0.0.2:8000/a.tar.gz'),
  size: fc.integer({ min: 1, max: MAX_AGENT_PACKAGE_BYTES }),
  sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  signature: fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
});
