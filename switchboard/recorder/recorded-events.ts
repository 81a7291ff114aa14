// What the recorder keeps of the stream: one RecordedEvent per change, with an idempotency key so that
// QoS 1 duplicates and the retained state re-delivered on every reconnect are stored once. Pure.
import { hash as digest } from 'node:crypto';
import { z } from 'zod';
import type { Message } from '../../protocol/index.js';
import { IsoTime, QueueId } from '../../protocol/index.js';

/** The kinds the figures read; commands, configs and acks say nothing about availability. */
export const RECORDED_KINDS = [
  'presence',
  'device-state',
  'mwi',
  'mwi-message',
  'mwi-handled',
  'voicemail',
  'queue',
  'ext-call',
  'line',
  'directory-person',
  'directory-department',
  'directory-org',
] as const;
export type RecordedKind = (typeof RECORDED_KINDS)[number] | 'call' | 'recorder';

/**
 * A queue call event as the recorder keeps it; `fromCallMessage` maps the phone bridge's `call/{queueId}`
 * message (docs/phone.md) here. Times are the phone system's own. Calls to a person's extension are
 * the contract's `ext-call` events, recorded as they come (figures/calls.ts).
 */
export const CallEvent = z.object({
  callId: z.string().min(1).max(128),
  phase: z.enum(['entered', 'answered', 'abandoned']),
  at: IsoTime,
  queue: QueueId.optional(),
  ext: z
    .string()
    .regex(/^[0-9]{1,15}$/)
    .optional(),
});
export type CallEvent = z.infer<typeof CallEvent>;

export interface RecordedEvent {
  /** idempotency key: the same change always gets the same key */
  id: string;
  org: string;
  /** the recorder's receipt order and time axis: received ms × 1000 + a counter (see docs/recorder.md) */
  ord: number;
  /** the event's own time where it carries one, else its receipt time (ms) */
  at: number;
  kind: RecordedKind;
  /**
   * the topic's parameter: extension, device, queue or department id; '' for the org or the recorder;
   * `{ext}/{messageId}` for a phone message (its clear carries no body to name it)
   */
  subject: string;
  /** the decoded body (null: a retained value cleared) */
  body: unknown;
  /** the body as JSON where the recorder wrote it already (toEvent): the store keeps it as is */
  json?: string;
}

// the one-shot digest: half the CPU of a Hash object per event (issue 26), the same key
const hash = (text: string) => digest('sha256', text, 'base64url').slice(0, 32);

function subjectOf(message: Message): string {
  if (message.kind === 'mwi-message') return `${message.ext}/${message.messageId}`;
  const m = message as Record<string, unknown>;
  return String(m.ext ?? m.deviceId ?? m.queueId ?? m.departmentId ?? '');
}

/** The body's own time, where the contract gives it one. */
function ownTime(message: Message): number | undefined {
  const body = message.body as { at?: string } | null;
  if (message.kind === 'presence' || message.kind === 'queue' || message.kind === 'mwi-handled')
    return body?.at ? Date.parse(body.at) : undefined;
  if (message.kind === 'device-state' || message.kind === 'ext-call')
    return body?.at ? Date.parse(body.at) : undefined;
  return undefined;
}

/**
 * Keeps the last body per topic, so that a re-delivered retained value (same content) is no change.
 * Keys hold the recorder session: after a restart the retained state is recorded again, as what was
 * seen when recording resumed (the figures reset every state at a gap). A body with its own time or
 * sequence is identified by its content; one without (voicemail count, a will, the directory) by its
 * content and the key of the value it replaced, so "0 → 1 → 0" is three events.
 */
export class EventKeys {
  private readonly last = new Map<string, { text: string; id: string }>();

  constructor(private readonly session: string) {}

  /** The event for a decoded message, or undefined when it repeats the last value of its topic. */
  toEvent(topic: string, message: Message, ord: number): RecordedEvent | undefined {
    if (!(RECORDED_KINDS as readonly string[]).includes(message.kind)) return undefined;
    const text = JSON.stringify(message.body);
    const previous = this.last.get(topic);
    if (previous?.text === text) return undefined;
    const own = ownTime(message);
    // a step of a call has its own unique id: every recorder stores it once under it
    const id =
      message.kind === 'ext-call'
        ? hash(`ext-call\n${message.org}\n${message.body.id}`)
        : hash(`${this.session}\n${topic}\n${text}\n${own === undefined ? (previous?.id ?? '') : ''}`);
    this.last.set(topic, { text, id });
    return {
      id,
      org: message.org,
      ord,
      at: own ?? Math.floor(ord / 1000),
      kind: message.kind as RecordedKind,
      subject: subjectOf(message),
      body: message.body,
      json: text,
    };
  }
}

/** A call event (already validated), keyed by call and phase: the bridge may repeat it. */
export function callEvent(org: string, call: CallEvent, ord: number): RecordedEvent {
  return {
    id: hash(`call\n${org}\n${call.callId}\n${call.phase}`),
    org,
    ord,
    at: Date.parse(call.at),
    kind: 'call',
    subject: call.ext ?? call.queue ?? '',
    body: call,
  };
}

/** The phone bridge's `call/{queueId}` message as a call event. */
export function fromCallMessage(message: Message<'call-event'>): CallEvent {
  const { call, event, at, ext } = message.body;
  return { callId: call, phase: event, at, queue: message.queueId, ...(ext ? { ext } : {}) };
}

/**
 * The recorder's own up and down: a gap in the log is a time nobody measured. `orgs`: the organisations
 * the session recorded (absent: every one on its broker); another organisation's figures ignore it.
 */
export function recorderEvent(
  phase: 'up' | 'down',
  session: string,
  atMs: number,
  ord: number,
  orgs?: readonly string[],
): RecordedEvent {
  return {
    id: `recorder:${session}:${phase}`,
    org: '',
    ord,
    at: atMs,
    kind: 'recorder',
    subject: '',
    body: { phase, session, ...(orgs ? { orgs } : {}) },
  };
}

/** Whether a session (or its up or down) covers the organisation: absent orgs cover every one. */
export const coversOrg = (session: { orgs?: readonly string[] | undefined }, org: string): boolean =>
  !session.orgs || session.orgs.includes(org);

/** Receipt order: milliseconds × 1000 plus a counter, so events in one millisecond keep their order. */
export function createOrdClock(now: () => number = Date.now): () => number {
  let lastMs = 0;
  let n = 0;
  return () => {
    const ms = Math.max(now(), lastMs);
    n = ms === lastMs ? n + 1 : 0;
    lastMs = ms;
    if (n >= 1000) {
      lastMs = ms + 1;
      n = 0;
      return lastMs * 1000;
    }
    return ms * 1000 + n;
  };
}
