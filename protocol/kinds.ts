// One entry per message kind, the contract's single table: its route under hanvisa/v1/{org}/, its
// body schema, whether it is retained (state) or an event, and who publishes and subscribes (the
// AsyncAPI text, and which accounts the ACL in acl.ts lets publish it: acl.test.ts holds the two
// together, since the ACL's grants are per account and wider than per kind). ROUTES, BODY_SCHEMAS, RETAINED and KIND_INFO are views of it; EXAMPLES (examples.ts)
// must name every kind, or it does not compile. Adding a kind starts here. Every message is QoS 1.
import type { z } from 'zod';
import * as S from './schemas.js';

/** The kinds of broker account (acl.ts, AclInput). */
export type Writer = 'desk' | 'board' | 'switchboard' | 'calendar' | 'provisioning' | 'notify';

interface KindSpec {
  /** the topic below the org segment; `{name}` is a parameter (SEGMENT_PATTERNS) */
  route: string;
  schema: z.ZodType;
  /** retained kinds are state: the newest value is what a new subscriber needs. The rest are events. */
  retained: boolean;
  /** the accounts the broker's ACL lets publish it (acl.ts; acl.test.ts checks the two agree) */
  writers: readonly Writer[];
  title: string;
  /** who may publish it (the authority) */
  publisher: string;
  subscribers: string;
  about: string;
}

export const KIND_TABLE = {
  presence: {
    route: 'presence/{ext}',
    schema: S.Presence,
    retained: true,
    writers: ['desk', 'board', 'calendar', 'notify'],
    title: 'Presence (referral)',
    publisher:
      "the person's desk agent; the operator board, a calendar integration or the notifier (the nudge's extend) acting for the person",
    subscribers: 'operator boards; the desk agent itself (to restore its state after a restart)',
    about:
      "The person's referral: available, or away with a reason, a whole-minute return time (null = until " +
      'further notice) and an optional alternative answering point. The authority republishes it on every ' +
      '(re)connect. Each change increments `seq`; consumers keep the newest by `seq`, then by `by.kind` ' +
      '(operator > switchboard > desk > calendar), then by the greater `by.id`.',
  },
  'device-state': {
    route: 'device/{deviceId}/state',
    schema: S.DeviceState,
    retained: true,
    writers: ['desk', 'provisioning'],
    title: 'Device state (birth and will)',
    publisher: 'the device itself: birth message on connect, and the same topic as its MQTT will',
    subscribers: 'operator boards, provisioning',
    about:
      'Retained birth message with `online: true`; the will `{"v":1,"online":false}` marks the device offline.',
  },
  'device-config': {
    route: 'device/{deviceId}/config',
    schema: S.DeviceConfig,
    retained: true,
    writers: ['provisioning'],
    title: 'Device configuration',
    publisher: 'provisioning (IT)',
    subscribers: 'the device',
    about:
      'Extension, key layout and queues for one device. The device validates it and answers on config/ack.',
  },
  'device-config-ack': {
    route: 'device/{deviceId}/config/ack',
    schema: S.DeviceConfigAck,
    retained: true,
    writers: ['desk', 'provisioning'],
    title: 'Device configuration acknowledgement',
    publisher: 'the device',
    subscribers: 'provisioning (IT)',
    about:
      'The version the device applied (`ok: true`), or the reason it refused one while keeping the last good one.',
  },
  'device-cmd': {
    route: 'device/{deviceId}/cmd',
    schema: S.DeviceCommand,
    retained: false,
    writers: ['provisioning'],
    title: 'Device command',
    publisher: 'provisioning (IT)',
    subscribers: 'the device',
    about: 'identify (blink all LEDs), restart or inventory; `id` correlates the result. Not retained.',
  },
  'device-update': {
    route: 'device/{deviceId}/update',
    schema: S.DeviceUpdate,
    retained: false,
    writers: ['provisioning'],
    title: 'Agent update',
    publisher: 'provisioning (IT): `hanvisa devices update`',
    subscribers: 'the device',
    about:
      "Run agent release `version`: fetch it from `url` (HTTP, not MQTT), check `size`, `sha256` and IT's " +
      'Ed25519 `signature`, stage it beside the running one and restart into it; if the new agent is not ' +
      'online within the deadline the desk switches back. The outcome comes on cmd/result with the same `id`. ' +
      'Not retained.',
  },
  'device-cmd-result': {
    route: 'device/{deviceId}/cmd/result',
    schema: S.DeviceCommandResult,
    retained: false,
    writers: ['desk', 'provisioning'],
    title: 'Device command result',
    publisher: 'the device',
    subscribers: 'provisioning (IT)',
    about: 'The outcome of the command with the same `id`. Not retained.',
  },
  mwi: {
    route: 'mwi/{ext}',
    schema: S.Mwi,
    retained: true,
    writers: ['board'],
    title: 'Message waiting (before issue 12)',
    publisher:
      'operator boards started with --mwi-copy, a `copy` of the mwi-message topics (release 0.2.0 only); ' +
      'boards before issue 12 wrote the messages here themselves',
    subscribers:
      'desk agents from before 0.1.0 (they read only this); operator boards (to convert an old value, never a copy)',
    about:
      'All open phone messages in one value, the shape before one topic per message. Kept so a board ' +
      'can convert what an older board left on the broker, and so that desks from before 0.1.0 keep ' +
      'their message lamp during the upgrade (docs/protocol.md, "Versioning").',
  },
  'mwi-message': {
    route: 'mwi/{ext}/msg/{messageId}',
    schema: S.MwiMessage,
    retained: true,
    writers: ['board'],
    title: 'Phone message',
    publisher: 'operator boards only (an operator takes the message; handled: an empty payload clears it)',
    subscribers: 'the desk agent of that extension (mwi/{ext}/msg/+); operator boards',
    about:
      'One open phone message with its call-back deadline, one retained topic per message so that ' +
      'two boards never rewrite one value. The message lamp is the set of these topics. Voicemail is on its own topic.',
  },
  'mwi-handled': {
    route: 'mwi/{ext}/handled',
    schema: S.MwiHandled,
    retained: false,
    writers: ['desk', 'board', 'notify'],
    title: 'Message handled',
    publisher:
      "the desk agent of that extension, the operator board, or the notifier (the e-mail's one-click link)",
    subscribers: 'operator boards, which then clear that mwi-message topic',
    about: 'Marks one phone message handled. Not retained.',
  },
  'mwi-delivery': {
    route: 'mwi/{ext}/delivery/{messageId}',
    schema: S.MwiDelivery,
    retained: true,
    writers: ['notify'],
    title: 'Phone message delivery',
    publisher: 'the notifier (hanvisa notify) only',
    subscribers: 'operator boards ("not delivered")',
    about:
      'Whether one phone message reached its person by e-mail and SMS: sent, retrying (with the next ' +
      'attempt) or failed, per channel. Cleared (empty payload) when the message is handled. No address, ' +
      'text or error text.',
  },
  voicemail: {
    route: 'voicemail/{ext}',
    schema: S.Voicemail,
    retained: true,
    writers: ['switchboard'],
    title: 'Voicemail waiting',
    publisher: 'the switchboard side (voicemail system) only',
    subscribers: 'the desk agent of that extension; operator boards',
    about: 'How many voicemails wait for the person; 0 or an empty payload: none.',
  },
  queue: {
    route: 'queue/{queueId}',
    schema: S.Queue,
    retained: true,
    writers: ['switchboard'],
    title: 'Call queue',
    publisher: 'the switchboard side',
    subscribers: 'desk agents whose layout shows that queue; operator boards',
    about: 'How many calls wait in a queue and since when the oldest has waited.',
  },
  'call-event': {
    route: 'call/{queueId}',
    schema: S.CallEvent,
    retained: false,
    writers: ['switchboard'],
    title: 'Call event',
    publisher: 'the phone bridge (hanvisa phone), from the phone system',
    subscribers: 'measurements (the recorder), boards',
    about:
      'One call entering, answered in or abandoned from a queue, with times. Not retained; `id` is unique, so a ' +
      'consumer drops the duplicates QoS 1 may deliver.',
  },
  'ext-call': {
    route: 'extcall/{ext}',
    schema: S.ExtCallEvent,
    retained: false,
    writers: ['switchboard'],
    title: 'Call to an extension',
    publisher:
      'the phone bridge (hanvisa phone): its routing decisions and what the phone system told of the call',
    subscribers: 'measurements (the recorder), boards',
    about:
      'One step of a call to a person: where the referral routed it, answered, rang out unanswered, or an ' +
      "operator's transfer that came back. Not retained; `id` is unique.",
  },
  line: {
    route: 'line/{ext}',
    schema: S.LineState,
    retained: true,
    writers: ['switchboard'],
    title: 'Line state (on the phone)',
    publisher: "the phone bridge (hanvisa phone), from the phone system's dialog state (RFC 4235)",
    subscribers: 'operator boards; desk agents whose layout shows it',
    about:
      "Whether the person's phone is idle, ringing or in a call, so the operator does not transfer into a busy line.",
  },
  'phone-link': {
    route: 'phone/link',
    schema: S.PhoneLink,
    retained: true,
    writers: ['switchboard'],
    title: 'Phone system link',
    publisher: 'the phone bridge (hanvisa phone); its MQTT will marks the link down',
    subscribers: 'operator boards (a banner while down)',
    about:
      "Whether the bridge reaches the organisation's phone system, and since when. While it is down, queue and " +
      'voicemail carry `stale: true` (the last known values, not zero).',
  },
  'calendar-status': {
    route: 'calendar/{ext}',
    schema: S.CalendarStatus,
    retained: true,
    writers: ['calendar'],
    title: 'Calendar feed status',
    publisher: 'the calendar bridge (`hanvisa calendar`) only',
    subscribers: 'operator boards',
    about:
      "Whether the person's calendar could be read: when it was last asked and last read, failures in a " +
      'row and the reason. While it fails, the referral stays as the last good calendar said.',
  },
  'service-level': {
    route: 'board/service-level/{departmentId}',
    schema: S.ServiceLevel,
    retained: true,
    writers: ['board'],
    title: 'Service level target of a department',
    publisher: "operator boards, when the department's manager sets it on the manager's view",
    subscribers: "operator boards (the manager's view measures the department's figures against it)",
    about:
      "The service level the department's manager set: the share of calls answered within the statistics' " +
      'threshold, and at most how many minutes a day the department may be unstaffed in its phone hours. ' +
      'Retained, so every board behind the same address shows the same target (docs/staff.md, "Managers").',
  },
  'session-revoked': {
    route: 'board/revoked/{sessionId}',
    schema: S.SessionRevoked,
    retained: true,
    writers: ['board'],
    title: 'Board login logged out',
    publisher: 'operator boards (an operator logged out there)',
    subscribers: 'operator boards, which refuse that login until `until`',
    about:
      "A login to the operators' board that was logged out. The id is an HMAC of the login's nonce under " +
      "the boards' session secret, so it names no user and only boards holding that secret can tell which " +
      'cookie it is. Retained so that a restarted board, and the other board behind the same address, ' +
      "refuse a copy of the cookie too; `until` is the login's absolute expiry, after which any board " +
      'clears the topic (docs/access.md).',
  },
  'directory-person': {
    route: 'directory/person/{ext}',
    schema: S.Person,
    retained: true,
    writers: ['provisioning'],
    title: 'Directory: person',
    publisher: 'provisioning (IT), e.g. from a CSV import',
    subscribers: 'operator boards',
    about: 'Name, department and contact details of the person on an extension.',
  },
  'directory-department': {
    route: 'directory/department/{departmentId}',
    schema: S.Department,
    retained: true,
    writers: ['provisioning'],
    title: 'Directory: department',
    publisher: 'provisioning (IT)',
    subscribers: 'operator boards',
    about: 'Department name, its queue, phone hours and whether someone must always answer.',
  },
  // issue 23: the switchboard's open/closed/lunch state for the PBX's night service
  'switchboard-service': {
    route: 'switchboard-service',
    schema: S.SwitchboardService,
    retained: true,
    writers: ['provisioning'],
    title: 'Switchboard open, closed or at lunch',
    publisher:
      '`hanvisa org` (the settings publisher), at each change of its switchboard hours and lunch closure',
    subscribers: 'the phone bridge (night service in the phone system), operator boards',
    about:
      "Whether the organisation's switchboard answers now (`open`), is closed (after its hours, weekends, " +
      'holidays) or closed for lunch, since when and until when; the PBX adapter switches to night service.',
  },
  'directory-org': {
    route: 'directory/org',
    schema: S.OrgInfo,
    retained: true,
    writers: ['provisioning'],
    title: 'Directory: organisation',
    publisher: 'provisioning (IT): `hanvisa org` from the settings file, republished on every reconnect',
    subscribers: 'operator boards, desk agents, the calendar bridge',
    about:
      'Organisation name, time zone, workday, working days and holidays (resolved dates), policies, key ' +
      'timings, queue threshold, after-hours message, on-call numbers and its reason catalogue.',
  },
} as const satisfies Record<string, KindSpec>;

export type Kind = keyof typeof KIND_TABLE;
