// Arbitraries for the phone kinds: messages, voicemail, queues, calls, deliveries, line, link.
import fc from 'fast-check';
import type * as S from '../../../protocol/schemas.js';
import { actor, count, ext, id64, isoMinute, isoTime, messageId, reasonCode, text } from './primitives.js';

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
