// Payload schemas of a person's referral: presence/{ext} and how reading the calendar behind it goes
// (calendar/{ext}); re-exported by schemas.ts, the contract's one import point.
import { z } from 'zod';
import { Actor, Ext, IsoMinute, IsoTime, ReasonCode, Text } from './schema-primitives.js';

/** Alternative answering point: forward to a colleague, or information only for the operator. */
export const AltAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forward'), to: Ext, name: Text(80).optional() }),
  z.object({ kind: z.literal('info'), text: Text(120).optional() }),
]);

/**
 * presence/{ext}: the person's referral. Retained, QoS 1. Newest change wins by `seq`, ties by `by.kind`
 * then `by.id`: see comparePresence in presence-order.ts.
 */
export const Presence = z
  .object({
    v: z.literal(1),
    status: z.enum(['available', 'away']),
    reason: ReasonCode.nullable(),
    since: IsoTime,
    until: IsoMinute.nullable().describe('return time; null while away means until further notice'),
    alt: AltAnswer.nullable(),
    note: Text(80).optional(),
    seq: z
      .number()
      .int()
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER)
      .describe(
        'change counter: one more than the highest seen on the topic; it stays at 2^53 − 1, where the later `at` is newer',
      ),
    by: Actor,
    at: IsoTime,
  })
  .superRefine((p, ctx) => {
    if (p.status === 'available' && (p.reason !== null || p.until !== null)) {
      ctx.addIssue({
        code: 'custom',
        message: 'available presence has no reason or return time',
        path: ['status'],
      });
    }
    if (p.status === 'away' && p.reason === null) {
      ctx.addIssue({ code: 'custom', message: 'away presence needs a reason', path: ['reason'] });
    }
  });

/**
 * calendar/{ext}: how reading the person's calendar goes, retained; the calendar bridge is its only
 * writer. While `ok` is false the referral stays as the last good calendar said (docs/calendar.md).
 */
export const CalendarStatus = z.object({
  v: z.literal(1),
  ok: z.boolean(),
  at: IsoTime.describe('when the calendar was last asked'),
  lastGood: IsoTime.nullable().describe('when it was last read successfully; null: never'),
  failures: z.number().int().nonnegative().describe('failed reads in a row'),
  error: Text(300).optional(),
  /**
   * the person's next calendar absence within the working day (today's, or the next one after hours),
   * for the operator ("Sammanträde från 14:00"); absent: none. A private entry shows only its stand-in reason.
   */
  next: z
    .object({
      from: IsoTime,
      to: IsoMinute.describe('when the person is back: the end of the whole absence'),
      reason: ReasonCode,
    })
    .optional(),
});

export type AltAnswer = z.infer<typeof AltAnswer>;
export type Presence = z.infer<typeof Presence>;
export type CalendarStatus = z.infer<typeof CalendarStatus>;
