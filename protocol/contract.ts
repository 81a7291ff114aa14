// The published contract: a JSON Schema per message body (from the zod schemas, so the two cannot
// disagree) and an AsyncAPI 3.0 document of the whole topic tree, for other vendors' switchboards.
// The files in docs/ are these functions' output; protocol/contract.test.ts keeps them in step
// (`UPDATE_CONTRACT=1 npx vitest run protocol/contract.test.ts` rewrites them).
import { z } from 'zod';
import { BODY_SCHEMAS, MAX_PAYLOAD_BYTES, RETAINED } from './codec.js';
import { EXAMPLES } from './examples.js';
import { KIND_TABLE } from './kinds.js';
import * as S from './schemas.js';
import { KINDS, type Kind, ROOT, ROUTES, SEGMENT_PATTERNS, type SegmentName, VERSION } from './topics.js';

export { EXAMPLES };

type JsonObject = { [key: string]: unknown };

/** Each kind's title, publisher, subscribers and description (kinds.ts). */
export const KIND_INFO: Record<
  Kind,
  { title: string; publisher: string; subscribers: string; about: string }
> = KIND_TABLE;

const PARAMETER_INFO: Record<SegmentName, string> = {
  org: 'Organisation (municipality) slug',
  ext: 'Telephone extension, digits only',
  deviceId: 'Device id, unique on the broker (username of the device)',
  queueId: 'Call queue id',
  departmentId: 'Department id',
  messageId: 'Phone message id',
  sessionId: "A logged-out board login: an HMAC of its nonce under the boards' session secret",
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
