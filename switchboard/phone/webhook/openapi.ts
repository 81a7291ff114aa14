// The webhook adapter's OpenAPI 3.1 document, generated from its zod schemas so the two cannot
// disagree: docs/phone-webhooks.openapi.json is this function's output, kept in step by
// openapi.test.ts (`UPDATE_CONTRACT=1 npx vitest run switchboard/phone/webhook/openapi.test.ts` rewrites it).
import { z } from 'zod';
import { EVENTS_PATH } from './adapter.js';
import { InboundEvent, OutboundReferral, OutboundService, WebhookError } from './schemas.js';

type JsonObject = { [key: string]: unknown };

const schema = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema, ...rest } = z.toJSONSchema(s, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
  }) as JsonObject;
  return rest;
};

const signatureHeaders = [
  {
    name: 'X-Hanvisa-Timestamp',
    in: 'header',
    required: true,
    description:
      'Unix seconds when the request was signed; more than the replay window (300 s) away from now is refused',
    schema: { type: 'string', pattern: '^[0-9]{1,12}$' },
  },
  {
    name: 'X-Hanvisa-Signature',
    in: 'header',
    required: true,
    description: '`sha256=` and the hex HMAC-SHA256, with the shared secret, of `{timestamp}.{raw body}`',
    schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
  },
];

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookError' } } },
});

export function openApiDocument(): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'hanvisa phone webhooks',
      version: '1',
      description:
        'How a hosted PBX or contact-centre system feeds hanvisa (queues, calls, voicemail) and receives referral ' +
        'changes. Both directions are signed the same way. See docs/phone.md.',
    },
    paths: {
      [EVENTS_PATH]: {
        post: {
          operationId: 'postEvent',
          summary: 'One queue snapshot, call event, voicemail count or heartbeat',
          parameters: signatureHeaders,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/InboundEvent' } } },
          },
          responses: {
            '200': {
              description:
                'Accepted. `duplicate: true`: the event id was seen before (kept for twice the replay window, across ' +
                'restarts); `superseded: true`: a queue snapshot or voicemail count whose `at` is older than the one ' +
                'already applied for that queue or extension. Both changed nothing; do not retry them.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      ok: { const: true },
                      duplicate: { type: 'boolean' },
                      superseded: { const: true },
                    },
                    required: ['ok', 'duplicate'],
                  },
                },
              },
            },
            '400': error(
              'malformed: not JSON, or not an event (the message names the first bad field), or its `at` more ' +
                'than the replay window ahead of our clock',
            ),
            '401': error('signature: missing or wrong signature; replay: timestamp outside the window'),
            '404': error('not-found'),
            '405': error('method: only POST'),
            '413': error('too-large: more than 64 KiB'),
            '503': error('unavailable: the event could not be recorded (nothing changed); retry it'),
          },
        },
      },
    },
    webhooks: {
      referral: {
        post: {
          summary:
            "A person's referral changed: sent to the phone system's URL, signed, retried on 5xx, 408, 429 and network errors",
          parameters: signatureHeaders,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/OutboundReferral' } } },
          },
          responses: { '2XX': { description: 'Delivered' } },
        },
      },
      service: {
        post: {
          summary:
            'The switchboard opened, closed or closed for lunch (its hours in the organisation settings): ' +
            'switch night service on or off; sent, signed and retried like a referral',
          parameters: signatureHeaders,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/OutboundService' } } },
          },
          responses: { '2XX': { description: 'Delivered' } },
        },
      },
    },
    components: {
      schemas: {
        InboundEvent: schema(InboundEvent, 'input'),
        OutboundReferral: schema(OutboundReferral, 'output'),
        OutboundService: schema(OutboundService, 'output'),
        WebhookError: schema(WebhookError, 'output'),
      },
    },
  };
}

export const OPENAPI_PATH = 'docs/phone-webhooks.openapi.json';
export const openApiFile = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;
