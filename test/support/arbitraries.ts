// fast-check arbitraries for every message of the contract: topic references and bodies that the
// schemas accept, in their decoded (output) shape, so encode → decode must give them back unchanged.
// Shared by every engineer's property tests; sizes stay well below the 64 KiB payload limit.
// The arbitraries themselves are in arbitraries/, by area as protocol/'s schema files are; this file
// is their index, with the table of bodies per kind and the topic references and messages built on it.
import fc from 'fast-check';
import type { Body, Message } from '../../protocol/codec.js';
import type * as S from '../../protocol/schemas.js';
import { KINDS, type Kind, SEGMENT_PATTERNS, type TopicRef } from '../../protocol/topics.js';
import { department, orgInfo, person } from './arbitraries/directory.js';
import {
  calendarStatus,
  callEvent,
  extCallEvent,
  lineState,
  mwi,
  mwiDelivery,
  mwiHandled,
  mwiMessage,
  phoneLink,
  queue,
  voicemail,
} from './arbitraries/phone.js';
import {
  deviceCommand,
  deviceCommandResult,
  deviceConfig,
  deviceConfigAck,
  deviceState,
  deviceUpdate,
  presence,
} from './arbitraries/presence-device.js';
import {
  departmentId,
  deviceId,
  ext,
  isoTime,
  messageId,
  org,
  queueId,
  text,
} from './arbitraries/primitives.js';

export * from './arbitraries/directory.js';
export * from './arbitraries/phone.js';
export * from './arbitraries/presence-device.js';
export * from './arbitraries/primitives.js';

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
