// One entry in, one entry out: decode(topic, bytes) returns a typed message or a typed rejection
// and never throws; encode(message) gives topic, payload and the publish options the contract wants.
import { z } from 'zod';
import { issueLines } from './issues.js';
import { KIND_TABLE } from './kinds.js';
import type * as S from './schemas.js';
import { type Kind, parseTopic, type TopicParams, topicFor } from './topics.js';

/** Each kind's body schema (kinds.ts). */
export const BODY_SCHEMAS = Object.fromEntries(
  Object.entries(KIND_TABLE).map(([kind, k]) => [kind, k.schema]),
) as {
  [K in Kind]: (typeof KIND_TABLE)[K]['schema'];
};

/**
 * The same schemas with zod's generated fast path (z.compile): a valid body is checked and copied
 * without the runtime parser's per-node dispatch (a presence: ~1.2-3 µs → ~0.3 µs, which a board's
 * cold start of 100,000 retained messages feels); anything the fast path cannot prove valid goes to
 * the runtime parser, so what is accepted and every error message stay the schemas' own
 * (codec-fast.test.ts holds the two equal). Compiled on a kind's first decode: a desk agent receives
 * a few kinds and keeps the memory the others' generated code would take (a Pi's budget, issue 13).
 */
const COMPILED: Partial<Record<Kind, z.ZodType>> = {};
const compiled = (kind: Kind): z.ZodType => {
  let schema = COMPILED[kind];
  if (!schema) {
    schema = z.compile(BODY_SCHEMAS[kind]);
    COMPILED[kind] = schema;
  }
  return schema;
};

/** Retained kinds are state, the rest events (kinds.ts). */
export const RETAINED = Object.fromEntries(
  Object.entries(KIND_TABLE).map(([kind, k]) => [kind, k.retained]),
) as Record<Kind, boolean>;

export const MAX_PAYLOAD_BYTES = 64 * 1024;

export type Body<K extends Kind> = z.infer<(typeof BODY_SCHEMAS)[K]>;

/**
 * A decoded message. `body: null` is an empty retained payload: the retained value was cleared
 * (a person left the directory, a queue was removed).
 */
export type Message<K extends Kind = Kind> = K extends Kind
  ? { kind: K; org: string } & TopicParams[K] & { body: Body<K> | (K extends RetainedKind ? null : never) }
  : never;

type RetainedKind = { [K in Kind]: (typeof KIND_TABLE)[K]['retained'] extends true ? K : never }[Kind];

export type RejectReason = 'topic' | 'size' | 'utf8' | 'json' | 'schema' | 'empty';
export interface Rejection {
  ok: false;
  topic: string;
  reason: RejectReason;
  detail: string;
}
export type DecodeResult = { ok: true; message: Message } | Rejection;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Valid UTF-8 cannot encode a surrogate, so a lone one can only come from a JSON escape. Texts without
 * such an escape (nearly all) skip the walk; the regex also matches an escaped backslash before
 * "ud800", which the walk then clears.
 */
const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormedString = (s: string) => !LONE_SURROGATE.test(s);

/** Every string (keys too) is well-formed Unicode: strict JSON readers (I-JSON) refuse the document otherwise. */
export function wellFormed(value: unknown): boolean {
  if (typeof value === 'string') return wellFormedString(value);
  if (Array.isArray(value)) return value.every(wellFormed);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).every(([k, v]) => wellFormedString(k) && wellFormed(v));
  return true;
}

function reject(topic: string, reason: RejectReason, detail: string): Rejection {
  return { ok: false, topic, reason, detail };
}

const describeIssues = (error: z.ZodError) => issueLines(error, { max: 3, root: '(root)' }).join('; ');

export function decode(topic: string, bytes: Uint8Array): DecodeResult {
  try {
    const ref = parseTopic(topic);
    if ('error' in ref) return reject(topic, 'topic', ref.error);
    if (bytes.byteLength > MAX_PAYLOAD_BYTES) {
      return reject(topic, 'size', `payload of ${bytes.byteLength} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
    }
    if (bytes.byteLength === 0) {
      if (RETAINED[ref.kind]) return { ok: true, message: { ...ref, body: null } as Message };
      return reject(topic, 'empty', `empty payload on event topic ${ref.kind}`);
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return reject(topic, 'utf8', 'payload is not valid UTF-8');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return reject(topic, 'json', (e as Error).message);
    }
    // `includes` first: ~10× cheaper than the regex over a payload with no escape at all (nearly all)
    if (text.includes('\\u') && LONE_SURROGATE_ESCAPE.test(text) && !wellFormed(json))
      return reject(topic, 'utf8', 'a string holds a lone UTF-16 surrogate (\\uD800-\\uDFFF unpaired)');
    const parsed = compiled(ref.kind).safeParse(json);
    if (!parsed.success) return reject(topic, 'schema', `${ref.kind}: ${describeIssues(parsed.error)}`);
    // the topic names the message: a body for another id would let one clear erase a different one
    if (ref.kind === 'mwi-message' && (parsed.data as S.MwiMessage).message.id !== ref.messageId)
      return reject(topic, 'schema', "mwi-message: message.id differs from the topic's message id");
    // The reference is fresh from parseTopic: adding the body to it saves a copy (a spread cost
    // ~0.5 µs per message, as much as the validation).
    const message = ref as Record<string, unknown>;
    message.body = parsed.data;
    return { ok: true, message: message as Message };
  } catch (e) {
    // Defensive: nothing above should throw, but a decoder must never take its caller down.
    return reject(topic, 'schema', `unexpected: ${(e as Error).message}`);
  }
}

export interface Encoded {
  topic: string;
  payload: Buffer;
  retain: boolean;
  qos: 1;
}

/**
 * Encodes a message after validating its body (a body that does not satisfy the contract, or whose
 * payload exceeds MAX_PAYLOAD_BYTES, is a bug in the caller: this throws). `body: null` encodes the empty payload that clears a retained topic.
 */
export function encode(message: Message): Encoded {
  const { body, ...ref } = message as Message & { body: unknown };
  const topic = topicFor(ref as Parameters<typeof topicFor>[0]);
  const retain = RETAINED[message.kind];
  if (body === null) {
    if (!retain) throw new Error(`${message.kind} cannot be cleared: not a retained kind`);
    return { topic, payload: Buffer.alloc(0), retain, qos: 1 };
  }
  const parsed = BODY_SCHEMAS[message.kind].safeParse(body);
  if (!parsed.success) throw new Error(`invalid ${message.kind}: ${describeIssues(parsed.error)}`);
  if (!wellFormed(parsed.data))
    throw new Error(`invalid ${message.kind}: a string holds a lone UTF-16 surrogate`);
  const payload = Buffer.from(JSON.stringify(parsed.data));
  // The schemas alone allow more (an mwi may list 200 messages of 1000 characters); every decoder
  // refuses such a payload, so sending it would silently lose the message.
  if (payload.byteLength > MAX_PAYLOAD_BYTES) {
    throw new Error(`${message.kind} payload of ${payload.byteLength} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  }
  return { topic, payload, retain, qos: 1 };
}
