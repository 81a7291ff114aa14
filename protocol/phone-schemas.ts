// Payload schemas of the phone side: phone messages (mwi and their delivery), voicemail, queues, call
// events, extension calls, line state and the phone link; re-exported by schemas.ts.
import { z } from 'zod';
import { Actor, Ext, IsoMinute, IsoTime, ReasonCode, Text } from './schema-primitives.js';

export const PhoneMessage = z.object({
  id: z.string().min(1).max(64),
  at: IsoTime,
  from: Text(120).optional(),
  number: Text(32).optional(),
  text: Text(1000),
  takenBy: Text(64).optional(),
  /** call back by then: same day or next working day per the organisation's policy */
  callbackBy: IsoTime.nullable(),
});

/**
 * mwi/{ext}: the open phone messages in one value, as before one topic per message (issue 12). A board
 * that finds one converts it into mwi-message topics and clears it; a board started with --mwi-copy
 * keeps a `copy` of those topics here for desk agents from before 0.1.0, which read only this value
 * (docs/protocol.md, "Versioning"). Inside the board and the desk it is still the shape of one
 * person's messages, aggregated from those topics.
 */
export const Mwi = z.object({
  v: z.literal(1),
  messages: z.array(PhoneMessage).max(200),
  /** a board's copy of the mwi-message topics: never converted, and counted by nobody who reads those */
  copy: z.literal(true).optional(),
});

/**
 * mwi/{ext}/msg/{messageId}: one open phone message, retained; written by operator boards only, each
 * message its own topic so that two boards never read-modify-write one value. Empty payload: handled.
 */
export const MwiMessage = z.object({
  v: z.literal(1),
  message: PhoneMessage,
});

/** mwi/{ext}/handled: the person (desk key or board) marks a message handled. Not retained. */
export const MwiHandled = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  by: Actor,
  at: IsoTime,
});

/** How far one channel got with a phone message: sent (the server took it), retrying, or given up. */
export const ChannelDelivery = z.object({
  state: z.enum(['sent', 'retrying', 'failed']),
  attempts: z.number().int().min(0).max(1000),
  /** when the last attempt ended */
  at: IsoTime,
  /** the next attempt (retrying only) */
  next: IsoTime.optional(),
});

/**
 * mwi/{ext}/delivery/{messageId}: whether the phone message reached its person by e-mail and SMS,
 * retained, written by the notifier (hanvisa notify) alone; cleared with the message. No personal data:
 * no address, no text, no error text (those stay in the notifier's log and state).
 */
export const MwiDelivery = z.object({
  v: z.literal(1),
  email: ChannelDelivery.optional(),
  sms: ChannelDelivery.optional(),
});

/**
 * voicemail/{ext}: the waiting voicemail count, retained; the switchboard side is its only writer.
 * A topic of its own, apart from mwi, so that no retained value has two writers (docs/protocol.md).
 */
export const Voicemail = z.object({
  v: z.literal(1),
  count: z.number().int().nonnegative(),
  /** the phone system is unreachable: the last count it reported, not necessarily the current one */
  stale: z.boolean().optional(),
  // --- issue 23 ---
  /** when the oldest waiting voicemail came, where the phone system tells: its callback deadline runs from then */
  oldestSince: IsoTime.optional(),
});

/** One waiting call, where the phone system tells: its place in the queue (Guldborgsund: "you are number x"). */
export const QueuedCall = z.object({
  id: z.string().min(1).max(64),
  position: z.number().int().min(1),
  since: IsoTime,
});

/** queue/{queueId}: waiting calls, retained, from the switchboard side (the phone bridge). */
export const Queue = z.object({
  v: z.literal(1),
  name: Text(80).optional(),
  waiting: z.number().int().nonnegative(),
  oldestSince: IsoTime.nullable().describe('when the longest-waiting call entered the queue'),
  at: IsoTime,
  /** the queue lamp's alarm threshold for this queue (Guldborgsund: 4 rings ≈ 20 s); absent: the desk's default */
  alarmSeconds: z.number().int().min(1).max(3600).optional(),
  /** the waiting calls in queue order, where the phone system knows them */
  calls: z.array(QueuedCall).max(500).optional(),
  /** the phone system is unreachable: the last snapshot it reported, not necessarily the current one */
  stale: z.boolean().optional(),
});

/** call/{queueId}: one call event in a queue, not retained; measurements (the recorder) build on them. */
export const CallEvent = z.object({
  v: z.literal(1),
  /** the phone system's event id, unique: consumers drop duplicates by it */
  id: z.string().min(1).max(64),
  call: z.string().min(1).max(64),
  event: z.enum(['entered', 'answered', 'abandoned']),
  at: IsoTime,
  /** when the call entered the queue (answered, abandoned) */
  enteredAt: IsoTime.optional(),
  /** its place in the queue when it entered, where known */
  position: z.number().int().min(1).optional(),
  /** the extension that answered */
  ext: Ext.optional(),
});

/**
 * extcall/{ext}: one step of a call to a person's extension, as the phone bridge saw it (docs/phone.md,
 * "Calls follow the referral"). `call` joins the steps of one call; `id` is unique, so consumers drop
 * the duplicates QoS 1 may deliver.
 */
export const ExtCallEvent = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  call: z.string().min(1).max(128),
  event: z
    .enum(['routed', 'answered', 'unanswered', 'bounced'])
    .describe(
      'routed: the bridge decided where the call rings; answered: someone picked up; unanswered: it rang out ' +
        'past the ring limit; bounced: an operator transfer came back unanswered or busy',
    ),
  at: IsoTime,
  /** routed: where the call was sent */
  to: z.enum(['desk', 'forward', 'switchboard']).optional(),
  /** routed: why it went there */
  cause: z.enum(['available', 'referred', 'unanswered', 'busy', 'refused-forward', 'fail-open']).optional(),
  /** the extension that rings or answered (the person, the colleague or the switchboard) */
  target: Ext.optional(),
  /** routed: the referral acted on; a private reason travels only as `away` */
  reason: ReasonCode.optional(),
  until: IsoMinute.nullable().optional(),
  /** answered, unanswered: how long it rang, seconds */
  ringSeconds: z.number().nonnegative().max(3600).optional(),
  /** the call is an operator's transfer (it came from the switchboard) */
  transfer: z.boolean().optional(),
});

/** line/{ext}: whether the person's phone is in a call (RFC 4235 dialog state); retained. */
export const LineState = z.object({
  v: z.literal(1),
  state: z.enum(['idle', 'ringing', 'in-call']),
  since: IsoTime,
});

/** phone/link: whether the bridge reaches the organisation's phone system; retained, the bridge's will sets it down. */
export const PhoneLink = z.object({
  v: z.literal(1),
  up: z.boolean(),
  /** since when the link has been in this state */
  since: IsoTime,
  /** which adapter: sip, webhook, simulator */
  system: Text(32).min(1),
  detail: Text(200).optional(),
});

export type PhoneMessage = z.infer<typeof PhoneMessage>;
export type Mwi = z.infer<typeof Mwi>;
export type MwiHandled = z.infer<typeof MwiHandled>;
export type MwiMessage = z.infer<typeof MwiMessage>;
export type MwiDelivery = z.infer<typeof MwiDelivery>;
export type ChannelDelivery = z.infer<typeof ChannelDelivery>;
export type Voicemail = z.infer<typeof Voicemail>;
export type Queue = z.infer<typeof Queue>;
export type QueuedCall = z.infer<typeof QueuedCall>;
export type CallEvent = z.infer<typeof CallEvent>;
export type PhoneLink = z.infer<typeof PhoneLink>;
export type ExtCallEvent = z.infer<typeof ExtCallEvent>;
export type LineState = z.infer<typeof LineState>;
