// fast-check arbitraries for every message of the contract: topic references and bodies that the
// schemas accept, in their decoded (output) shape, so encode → decode must give them back unchanged.
// Shared by every engineer's property tests; sizes stay well below the 64 KiB payload limit.
import fc from 'fast-check';
import type { Body, Message } from '../../protocol/codec.js';
import { LANGUAGES, perLanguage } from '../../protocol/languages.js';
import type * as S from '../../protocol/schemas.js';
import { MAX_AGENT_PACKAGE_BYTES } from '../../protocol/schemas.js';
import { KINDS, type Kind, SEGMENT_PATTERNS, type TopicRef } from '../../protocol/topics.js';

export const org = fc.stringMatching(SEGMENT_PATTERNS.org);
export const ext = fc.stringMatching(SEGMENT_PATTERNS.ext);
export const deviceId = fc.stringMatching(SEGMENT_PATTERNS.deviceId);
export const queueId = fc.stringMatching(SEGMENT_PATTERNS.queueId);
export const departmentId = fc.stringMatching(SEGMENT_PATTERNS.departmentId);
export const messageId = fc.stringMatching(SEGMENT_PATTERNS.messageId);
export const reasonCode = fc.stringMatching(/^[a-z][a-z0-9-]{0,23}$/);
export const clockTime = fc
  .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) })
  .map(({ h, m }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);
/** A UTC instant with milliseconds, as the contract writes it. */
export const isoTime = fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms).toISOString());
/** A local calendar day (YYYY-MM-DD). */
export const localDate = fc
  .integer({ min: MIN_MS / 86_400_000, max: MAX_MS / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
/** Return times are whole minutes. */
export const isoMinute = fc
  .integer({ min: MIN_MS / 60_000, max: MAX_MS / 60_000 })
  .map((min) => new Date(min * 60_000).toISOString());

/** Any well-formed text of `min` to `max` code points (the contract's lengths), astral characters included. */
export const text = (max: number, min = 0) => fc.string({ unit: 'binary', minLength: min, maxLength: max });

/** Any UTF-16 code units, lone surrogates included: what JSON's \\u escapes can spell. */
export const codeUnits = (max: number, min = 0) =>
  fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
    minLength: min,
    maxLength: max,
  });

const id64 = text(64, 1);
const count = fc.nat({ max: 1_000_000 });

export const actor: fc.Arbitrary<S.Actor> = fc.record({
  kind: fc.constantFrom('desk', 'operator', 'calendar', 'switchboard'),
  id: id64,
});

export const altAnswer: fc.Arbitrary<S.AltAnswer> = fc.oneof(
  fc.record(
    { kind: fc.constant('forward' as const), to: ext, name: text(80) },
    { requiredKeys: ['kind', 'to'] },
  ),
  fc.record({ kind: fc.constant('info' as const), text: text(120) }, { requiredKeys: ['kind'] }),
);

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

export const phoneMessage: fc.Arbitrary<S.PhoneMessage> = fc.record(
  {
    id: id64,
    at: isoTime,
    from: text(120),
    number: text(32),
    text: text(1000),
    takenBy: text(64),
    callbackBy: fc.option(isoTime, { nil: null }),
  },
  { requiredKeys: ['id', 'at', 'text', 'callbackBy'] },
);

export const mwi: fc.Arbitrary<S.Mwi> = fc.record({
  v: fc.constant(1 as const),
  messages: fc.array(phoneMessage, { maxLength: 5 }),
});

/** The message's id is the topic's messageId: messageOf('mwi-message') aligns the two. */
export const mwiMessage: fc.Arbitrary<S.MwiMessage> = fc.record({
  v: fc.constant(1 as const),
  message: fc.tuple(phoneMessage, messageId).map(([m, id]) => ({ ...m, id })),
});

export const mwiHandled: fc.Arbitrary<S.MwiHandled> = fc.record({
  v: fc.constant(1 as const),
  id: id64,
  by: actor,
  at: isoTime,
});

export const voicemail: fc.Arbitrary<S.Voicemail> = fc.record(
  { v: fc.constant(1 as const), count, stale: fc.boolean(), oldestSince: isoTime },
  { requiredKeys: ['v', 'count'] },
);

const position = fc.integer({ min: 1, max: 500 });

export const calendarStatus: fc.Arbitrary<S.CalendarStatus> = fc.record(
  {
    v: fc.constant(1 as const),
    ok: fc.boolean(),
    at: isoTime,
    lastGood: fc.option(isoTime, { nil: null }),
    failures: count,
    error: fc.string({ maxLength: 300 }),
    next: fc.record({ from: isoTime, to: isoMinute, reason: reasonCode }),
  },
  { requiredKeys: ['v', 'ok', 'at', 'lastGood', 'failures'] },
);

export const queue: fc.Arbitrary<S.Queue> = fc.record(
  {
    v: fc.constant(1 as const),
    name: text(80),
    waiting: count,
    oldestSince: fc.option(isoTime, { nil: null }),
    at: isoTime,
    alarmSeconds: fc.integer({ min: 1, max: 3600 }),
    calls: fc.array(fc.record({ id: id64, position, since: isoTime }), { maxLength: 5 }),
    stale: fc.boolean(),
  },
  { requiredKeys: ['v', 'waiting', 'oldestSince', 'at'] },
);

export const callEvent: fc.Arbitrary<S.CallEvent> = fc.record(
  {
    v: fc.constant(1 as const),
    id: id64,
    call: id64,
    event: fc.constantFrom('entered', 'answered', 'abandoned'),
    at: isoTime,
    enteredAt: isoTime,
    position,
    ext,
  },
  { requiredKeys: ['v', 'id', 'call', 'event', 'at'] },
);

export const extCallEvent: fc.Arbitrary<S.ExtCallEvent> = fc.record(
  {
    v: fc.constant(1 as const),
    id: id64,
    call: id64,
    event: fc.constantFrom('routed', 'answered', 'unanswered', 'bounced'),
    at: isoTime,
    to: fc.constantFrom('desk', 'forward', 'switchboard'),
    cause: fc.constantFrom('available', 'referred', 'unanswered', 'busy', 'refused-forward', 'fail-open'),
    target: ext,
    reason: reasonCode,
    until: fc.option(isoMinute, { nil: null }),
    ringSeconds: fc.integer({ min: 0, max: 3600 }),
    transfer: fc.boolean(),
  },
  { requiredKeys: ['v', 'id', 'call', 'event', 'at'] },
);

const channelDelivery: fc.Arbitrary<S.ChannelDelivery> = fc.record(
  {
    state: fc.constantFrom('sent', 'retrying', 'failed'),
    attempts: fc.integer({ min: 0, max: 1000 }),
    at: isoTime,
    next: isoTime,
  },
  { requiredKeys: ['state', 'attempts', 'at'] },
);

export const mwiDelivery: fc.Arbitrary<S.MwiDelivery> = fc.record(
  { v: fc.constant(1 as const), email: channelDelivery, sms: channelDelivery },
  { requiredKeys: ['v'] },
);

export const lineState: fc.Arbitrary<S.LineState> = fc.record({
  v: fc.constant(1 as const),
  state: fc.constantFrom('idle', 'ringing', 'in-call'),
  since: isoTime,
});

export const phoneLink: fc.Arbitrary<S.PhoneLink> = fc.record(
  { v: fc.constant(1 as const), up: fc.boolean(), since: isoTime, system: text(32, 1), detail: text(200) },
  { requiredKeys: ['v', 'up', 'since', 'system'] },
);

export const person: fc.Arbitrary<S.Person> = fc.record(
  {
    v: fc.constant(1 as const),
    name: text(120, 1),
    department: departmentId,
    title: text(120),
    direct: text(32),
    mobile: text(32),
    email: text(120),
    // issue 23
    mobileExtension: fc.boolean(),
    visibility: fc.record(
      {
        direct: fc.constantFrom('public', 'partners', 'internal'),
        mobile: fc.constantFrom('public', 'partners', 'internal'),
        email: fc.constantFrom('public', 'partners', 'internal'),
      },
      { requiredKeys: [] },
    ),
    keywords: fc.array(text(60, 1), { maxLength: 30 }),
  },
  { requiredKeys: ['v', 'name', 'department'] },
);

export const phoneHours: fc.Arbitrary<S.PhoneHours> = fc.record({
  days: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  from: clockTime,
  to: clockTime,
});

export const department: fc.Arbitrary<S.Department> = fc.record(
  {
    v: fc.constant(1 as const),
    name: text(120, 1),
    queue: queueId,
    phoneHours: fc.array(phoneHours, { maxLength: 14 }),
    mustAnswer: fc.boolean(),
    notice: text(300),
  },
  { requiredKeys: ['v', 'name', 'phoneHours', 'mustAnswer'] },
);

export const reasonDefinition: fc.Arbitrary<S.ReasonDefinition> = fc.record({
  code: reasonCode,
  labels: fc.record(perLanguage(() => text(40, 1))),
  rule: fc.oneof(
    fc.record({ type: fc.constant('minutes' as const), minutes: fc.integer({ min: 1, max: 1440 }) }),
    fc.record({ type: fc.constant('next-quarter' as const), minutes: fc.integer({ min: 0, max: 1440 }) }),
    fc.record({ type: fc.constant('end-of-day' as const) }),
    fc.record({ type: fc.constant('next-workday' as const) }),
    fc.record({ type: fc.constant('next-workday' as const) }),
    fc.record({ type: fc.constant('until-further-notice' as const) }),
  ),
  returnRequired: fc.boolean(),
  privacy: fc.constantFrom('public', 'private'),
});

export const timeZone = fc.constantFrom('Europe/Stockholm', 'Europe/Copenhagen', 'UTC', 'America/New_York');

export const orgInfo: fc.Arbitrary<S.OrgInfo> = fc.record(
  {
    v: fc.constant(1 as const),
    name: text(120, 1),
    greeting: text(300),
    timeZone,
    locale: fc.constantFrom(...LANGUAGES),
    workday: fc.record({ from: clockTime, to: clockTime }),
    onReturn: fc.constantFrom('overdue', 'reopen'),
    callback: fc.constantFrom('same-day', 'next-working-day'),
    reasons: fc.array(reasonDefinition, { maxLength: 8 }),
    answerWithin: fc.record({
      rings: fc.integer({ min: 1, max: 20 }),
      ringSeconds: fc.integer({ min: 1, max: 30 }),
    }),
    // issue 23: on-call validity, switchboard hours and lunch closure
    onCall: fc.array(
      fc.record(
        {
          department: departmentId,
          label: text(80, 1),
          number: text(32, 1),
          from: localDate,
          to: localDate,
          days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
          hours: fc.constantFrom('working-hours' as const, 'after-hours' as const),
        },
        { requiredKeys: ['label', 'number'] },
      ),
      { maxLength: 4 },
    ),
    switchboardHours: fc.array(phoneHours, { maxLength: 4 }),
    lunchClosure: fc.record({ from: clockTime, to: clockTime }),
    switchboard: fc.record({
      numbers: fc.array(text(32, 1), { minLength: 1, maxLength: 16 }),
      refuseForward: fc.boolean(),
    }),
  },
  { requiredKeys: ['v', 'name', 'timeZone', 'locale', 'workday', 'onReturn', 'callback'] },
);

/** One body arbitrary per kind, in the schemas' decoded shape. */
export const bodies: { [K in Kind]: fc.Arbitrary<Body<K>> } = {
  presence,
  'device-state': deviceState,
  'device-config': deviceConfig,
  'device-config-ack': deviceConfigAck,
  'device-cmd': deviceCommand,
  'device-cmd-result': deviceCommandResult,
  'device-update': deviceUpdate,
  mwi,
  'mwi-message': mwiMessage,
  'mwi-handled': mwiHandled,
  'mwi-delivery': mwiDelivery,
  voicemail,
  queue,
  'call-event': callEvent,
  'ext-call': extCallEvent,
  line: lineState,
  'service-level': fc.record(
    {
      v: fc.constant(1 as const),
      answeredWithinPercent: fc.integer({ min: 1, max: 100 }),
      maxUnstaffedMinutes: fc.integer({ min: 0, max: 1440 }),
      setBy: text(64, 1),
      at: isoTime,
    },
    { requiredKeys: ['v', 'answeredWithinPercent', 'setBy', 'at'] },
  ),
  'phone-link': phoneLink,
  'calendar-status': calendarStatus,
  'session-revoked': fc.record({ v: fc.constant(1 as const), until: isoTime }),
  'directory-person': person,
  'directory-department': department,
  'directory-org': orgInfo,
  'switchboard-service': fc.record(
    {
      v: fc.constant(1 as const),
      state: fc.constantFrom('open', 'closed', 'lunch'),
      since: isoTime,
      until: isoTime,
    },
    { requiredKeys: ['v', 'state', 'since'] },
  ),
};

const sessionId = fc.stringMatching(SEGMENT_PATTERNS.sessionId);
const PARAM_ARBITRARIES = { ext, deviceId, queueId, departmentId, messageId, sessionId } as const;
const PARAMS_OF: { [K in Kind]: readonly (keyof typeof PARAM_ARBITRARIES)[] } = {
  presence: ['ext'],
  'device-state': ['deviceId'],
  'device-config': ['deviceId'],
  'device-config-ack': ['deviceId'],
  'device-cmd': ['deviceId'],
  'device-cmd-result': ['deviceId'],
  'device-update': ['deviceId'],
  mwi: ['ext'],
  'mwi-message': ['ext', 'messageId'],
  'mwi-handled': ['ext'],
  'mwi-delivery': ['ext', 'messageId'],
  voicemail: ['ext'],
  queue: ['queueId'],
  'call-event': ['queueId'],
  'ext-call': ['ext'],
  line: ['ext'],
  'service-level': ['departmentId'],
  'phone-link': [],
  'calendar-status': ['ext'],
  'session-revoked': ['sessionId'],
  'directory-person': ['ext'],
  'directory-department': ['departmentId'],
  'directory-org': [],
  'switchboard-service': [],
};

/** A valid topic reference of the given kind. */
export function topicRefOf<K extends Kind>(kind: K): fc.Arbitrary<TopicRef<K>> {
  const params = Object.fromEntries(PARAMS_OF[kind].map((p) => [p, PARAM_ARBITRARIES[p]]));
  return fc.record({ kind: fc.constant(kind), org, ...params }) as unknown as fc.Arbitrary<TopicRef<K>>;
}

export const topicRef: fc.Arbitrary<TopicRef> = fc.constantFrom(...KINDS).chain((k) => topicRefOf(k));

/** A valid message (topic reference plus body) of the given kind. */
export function messageOf<K extends Kind>(kind: K): fc.Arbitrary<Message<K>> {
  return fc.tuple(topicRefOf(kind), bodies[kind] as fc.Arbitrary<Body<K>>).map(([ref, body]) => {
    // the codec refuses a message whose id is not its topic's
    const named = kind === 'mwi-message' ? { messageId: (body as S.MwiMessage).message.id } : {};
    return { ...ref, ...named, body } as unknown as Message<K>;
  });
}

export const message: fc.Arbitrary<Message> = fc.constantFrom(...KINDS).chain((k) => messageOf(k));
