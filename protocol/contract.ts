// The published contract: a JSON Schema per message body (from the zod schemas, so the two cannot
// disagree) and an AsyncAPI 3.0 document of the whole topic tree, for other vendors' switchboards.
// The files in docs/ are these functions' output; protocol/contract.test.ts keeps them in step
// (`UPDATE_CONTRACT=1 npx vitest run protocol/contract.test.ts` rewrites them).
import { z } from 'zod';
import { BODY_SCHEMAS, MAX_PAYLOAD_BYTES, RETAINED } from './codec.js';
import { EXAMPLES } from './examples.js';
import * as S from './schemas.js';
import { KINDS, type Kind, ROOT, ROUTES, SEGMENT_PATTERNS, type SegmentName, VERSION } from './topics.js';

export { EXAMPLES };

type JsonObject = { [key: string]: unknown };

/** Who may publish each kind (the authority) and who listens; the ACL in deploy/mosquitto follows it. */
export const KIND_INFO: Record<
  Kind,
  { title: string; publisher: string; subscribers: string; about: string }
> = {
  presence: {
    title: 'Presence (referral)',
    publisher: "the person's desk agent; the operator board or a calendar integration acting for the person",
    subscribers: 'operator boards; the desk agent itself (to restore its state after a restart)',
    about:
      "The person's referral: available, or away with a reason, a whole-minute return time (null = until " +
      'further notice) and an optional alternative answering point. The authority republishes it on every ' +
      '(re)connect. Each change increments `seq`; consumers keep the newest by `seq`, then by `by.kind` ' +
      '(operator > switchboard > desk > calendar), then by the greater `by.id`.',
  },
  'device-state': {
    title: 'Device state (birth and will)',
    publisher: 'the device itself: birth message on connect, and the same topic as its MQTT will',
    subscribers: 'operator boards, provisioning',
    about:
      'Retained birth message with `online: true`; the will `{"v":1,"online":false}` marks the device offline.',
  },
  'device-config': {
    title: 'Device configuration',
    publisher: 'provisioning (IT)',
    subscribers: 'the device',
    about:
      'Extension, key layout and queues for one device. The device validates it and answers on config/ack.',
  },
  'device-config-ack': {
    title: 'Device configuration acknowledgement',
    publisher: 'the device',
    subscribers: 'provisioning (IT)',
    about:
      'The version the device applied (`ok: true`), or the reason it refused one while keeping the last good one.',
  },
  'device-cmd': {
    title: 'Device command',
    publisher: 'provisioning (IT)',
    subscribers: 'the device',
    about: 'identify (blink all LEDs), restart or inventory; `id` correlates the result. Not retained.',
  },
  'device-cmd-result': {
    title: 'Device command result',
    publisher: 'the device',
    subscribers: 'provisioning (IT)',
    about: 'The outcome of the command with the same `id`. Not retained.',
  },
  mwi: {
    title: 'Message waiting (before issue 12)',
    publisher: 'nobody any more; an operator board that finds one converts it and clears it',
    subscribers: 'operator boards (to convert it into mwi-message topics)',
    about:
      'All open phone messages in one value, the shape before one topic per message. Kept so a board ' +
      'can convert what an older board left on the broker.',
  },
  'mwi-message': {
    title: 'Phone message',
    publisher: 'operator boards only (an operator takes the message; handled: an empty payload clears it)',
    subscribers: 'the desk agent of that extension (mwi/{ext}/msg/+); operator boards',
    about:
      'One open phone message with its call-back deadline, one retained topic per message so that ' +
      'two boards never rewrite one value. The message lamp is the set of these topics. Voicemail is on its own topic.',
  },
  'mwi-handled': {
    title: 'Message handled',
    publisher: 'the desk agent of that extension, or the operator board',
    subscribers: 'operator boards, which then clear that mwi-message topic',
    about: 'Marks one phone message handled. Not retained.',
  },
  voicemail: {
    title: 'Voicemail waiting',
    publisher: 'the switchboard side (voicemail system) only',
    subscribers: 'the desk agent of that extension; operator boards',
    about: 'How many voicemails wait for the person; 0 or an empty payload: none.',
  },
  queue: {
    title: 'Call queue',
    publisher: 'the switchboard side',
    subscribers: 'desk agents whose layout shows that queue; operator boards',
    about: 'How many calls wait in a queue and since when the oldest has waited.',
  },
  'call-event': {
    title: 'Call event',
    publisher: 'the phone bridge (hanvisa phone), from the phone system',
    subscribers: 'measurements (the recorder), boards',
    about:
      'One call entering, answered in or abandoned from a queue, with times. Not retained; `id` is unique, so a ' +
      'consumer drops the duplicates QoS 1 may deliver.',
  },
  'phone-link': {
    title: 'Phone system link',
    publisher: 'the phone bridge (hanvisa phone); its MQTT will marks the link down',
    subscribers: 'operator boards (a banner while down)',
    about:
      "Whether the bridge reaches the organisation's phone system, and since when. While it is down, queue and " +
      'voicemail carry `stale: true` (the last known values, not zero).',
  },
  'calendar-status': {
    title: 'Calendar feed status',
    publisher: 'the calendar bridge (`hanvisa calendar`) only',
    subscribers: 'operator boards',
    about:
      "Whether the person's calendar could be read: when it was last asked and last read, failures in a " +
      'row and the reason. While it fails, the referral stays as the last good calendar said.',
  },
  'directory-person': {
    title: 'Directory: person',
    publisher: 'provisioning (IT), e.g. from a CSV import',
    subscribers: 'operator boards',
    about: 'Name, department and contact details of the person on an extension.',
  },
  'directory-department': {
    title: 'Directory: department',
    publisher: 'provisioning (IT)',
    subscribers: 'operator boards',
    about: 'Department name, its queue, phone hours and whether someone must always answer.',
  },
  'directory-org': {
    title: 'Directory: organisation',
    publisher: 'provisioning (IT): `hanvisa org` from the settings file, republished on every reconnect',
    subscribers: 'operator boards, desk agents, the calendar bridge',
    about:
      'Organisation name, time zone, workday, working days and holidays (resolved dates), policies, key ' +
      'timings, queue threshold, after-hours message, on-call numbers and its reason catalogue.',
  },
};

const PARAMETER_INFO: Record<SegmentName, string> = {
  org: 'Organisation (municipality) slug',
  ext: 'Telephone extension, digits only',
  deviceId: 'Device id, unique on the broker (username of the device)',
  queueId: 'Call queue id',
  departmentId: 'Department id',
  messageId: 'Phone message id',
};

const WHOLE_MINUTE = ':00\\.000Z$';

/**
 * The zod refinements JSON Schema cannot derive, restated: presence's available/away invariants, whole
 * return minutes, IANA time zones. contract.test.ts checks that the schemas still reject what zod rejects.
 */
function restateRefinements(ctx: { zodSchema: unknown; jsonSchema: JsonObject }): void {
  const { zodSchema, jsonSchema } = ctx;
  if (zodSchema === S.IsoMinute) {
    jsonSchema.allOf = [{ pattern: WHOLE_MINUTE }];
    jsonSchema.description = 'UTC instant, ISO 8601 with milliseconds and Z, whole minutes';
  } else if (zodSchema === S.Presence) {
    jsonSchema.if = { properties: { status: { const: 'available' } } };
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword, not a thenable
    jsonSchema.then = { properties: { reason: { type: 'null' }, until: { type: 'null' } } };
    jsonSchema.else = { properties: { reason: { type: 'string' } } };
  } else if (zodSchema === S.OrgInfo.shape.timeZone) {
    jsonSchema.description = 'IANA time zone name, e.g. Europe/Stockholm';
  }
}

/** The JSON Schema (draft-07) of one kind's payload, as a peer may send it (fields with defaults optional). */
export function jsonSchemaFor(kind: Kind): JsonObject {
  const schema = z.toJSONSchema(BODY_SCHEMAS[kind], {
    target: 'draft-07',
    io: 'input',
    unrepresentable: 'throw',
    override: (ctx) => restateRefinements(ctx as { zodSchema: unknown; jsonSchema: JsonObject }),
  }) as JsonObject;
  const { $schema, ...rest } = schema;
  return { $schema, title: KIND_INFO[kind].title, description: KIND_INFO[kind].about, ...rest };
}

function parametersOf(kind: Kind): SegmentName[] {
  return ['org', ...[...ROUTES[kind].matchAll(/\{(\w+)\}/g)].map((m) => m[1] as SegmentName)];
}

/** The AsyncAPI 3.0 document of the whole contract. */
export function asyncApiDocument(): JsonObject {
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};
  const schemas: JsonObject = {};
  for (const kind of KINDS) {
    const info = KIND_INFO[kind];
    const retain = RETAINED[kind];
    const { $schema: _, ...schema } = jsonSchemaFor(kind);
    schemas[kind] = schema;
    const { body } = EXAMPLES[kind];
    messages[kind] = {
      name: kind,
      title: info.title,
      summary: info.about,
      contentType: 'application/json',
      payload: { $ref: `#/components/schemas/${kind}` },
      examples: [{ name: `${kind}-example`, payload: body }],
    };
    channels[kind] = {
      address: `${ROOT}/${VERSION}/{org}/${ROUTES[kind]}`,
      title: info.title,
      description:
        `${info.about}\n\nPublished by: ${info.publisher}. Subscribed by: ${info.subscribers}. ` +
        (retain
          ? 'Retained, QoS 1. An empty payload clears the retained value (the entity was removed).'
          : 'Not retained (an event), QoS 1. An empty payload is invalid.'),
      parameters: Object.fromEntries(
        parametersOf(kind).map((p) => [
          p,
          { description: `${PARAMETER_INFO[p]}; must match ${SEGMENT_PATTERNS[p].source}` },
        ]),
      ),
      messages: { [kind]: { $ref: `#/components/messages/${kind}` } },
    };
    operations[`publish-${kind}`] = {
      action: 'send',
      title: `Publish ${info.title.toLowerCase()}`,
      description: `Sent by ${info.publisher}.`,
      channel: { $ref: `#/channels/${kind}` },
      messages: [{ $ref: `#/channels/${kind}/messages/${kind}` }],
      bindings: { mqtt: { qos: 1, retain, bindingVersion: '0.2.0' } },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'hanvisa presence keys',
      version: '1.0.0',
      description:
        'The MQTT contract between desk agents, operator boards, provisioning and the switchboard side. ' +
        `Topics live under ${ROOT}/${VERSION}/{org}/; every payload is UTF-8 JSON of at most ` +
        `${MAX_PAYLOAD_BYTES} bytes carrying "v": 1. Unknown fields are ignored (stripped), so minor ` +
        'additions stay compatible; an incompatible change gets a new topic version. MQTT 3.1.1 suffices; ' +
        'MQTT 5 features are optional extras. See docs/protocol.md for the rules in prose.',
      license: { name: 'MIT' },
    },
    defaultContentType: 'application/json',
    servers: {
      switchboard: {
        host: 'switchboard.example:8883',
        protocol: 'secure-mqtt',
        protocolVersion: '3.1.1',
        description:
          'The switchboard broker. Each device authenticates with its own username (its device id) and ' +
          'password; ACLs restrict it to its own topics (deploy/mosquitto/acl). Desks connect with a clean ' +
          "session and a keepalive of at most 120 s (hanvisa's agent: half its keepaliveSeconds, 5 s by default).",
        bindings: {
          mqtt: {
            cleanSession: true,
            keepAlive: 120,
            lastWill: {
              topic: `${ROOT}/${VERSION}/{org}/device/{deviceId}/state`,
              qos: 1,
              message: '{"v":1,"online":false}',
              retain: true,
            },
            bindingVersion: '0.2.0',
          },
        },
      },
    },
    channels,
    operations,
    components: { messages, schemas },
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file, by path relative to the repository root. */
export function contractFiles(): Record<string, string> {
  const files: Record<string, string> = { 'docs/asyncapi.json': json(asyncApiDocument()) };
  for (const kind of KINDS) files[`docs/schemas/${kind}.json`] = json(jsonSchemaFor(kind));
  return files;
}
