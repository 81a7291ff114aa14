// The webhook adapter's HTTP contract, for vendors of hosted PBXs and contact-centre systems: the
// events they POST to us, and the referral change we POST to them. docs/phone-webhooks.openapi.json is
// generated from these (openapi.ts) and drift-checked by webhook/openapi.test.ts.
import { z } from 'zod';
import {
  AltAnswer,
  Ext,
  IsoMinute,
  IsoTime,
  QueuedCall,
  QueueId,
  ReasonCode,
} from '../../../protocol/index.js';

const EventId = z.string().min(1).max(64).describe('unique per event: a repeated id is accepted and ignored');

export const QueueSnapshotEvent = z.object({
  type: z.literal('queue'),
  id: EventId,
  at: IsoTime,
  queue: QueueId,
  name: z.string().max(80).optional(),
  waiting: z.number().int().nonnegative(),
  oldestSince: IsoTime.nullable(),
  calls: z.array(QueuedCall).max(500).optional(),
});

export const CallQueueEvent = z.object({
  type: z.literal('call'),
  id: EventId,
  at: IsoTime,
  queue: QueueId,
  call: z.string().min(1).max(64),
  event: z.enum(['entered', 'answered', 'abandoned']),
  enteredAt: IsoTime.optional(),
  position: z.number().int().min(1).optional(),
  ext: Ext.optional(),
});

export const VoicemailEvent = z.object({
  type: z.literal('voicemail'),
  id: EventId,
  at: IsoTime,
  ext: Ext,
  count: z.number().int().nonnegative(),
});

/** Sent when nothing else happens, so that silence means "link down" rather than "all quiet". */
export const HeartbeatEvent = z.object({ type: z.literal('heartbeat'), id: EventId, at: IsoTime });

export const InboundEvent = z
  .discriminatedUnion('type', [QueueSnapshotEvent, CallQueueEvent, VoicemailEvent, HeartbeatEvent])
  .describe('One event per request.');

export const OutboundReferral = z.object({
  v: z.literal(1),
  type: z.literal('referral'),
  id: z.string().min(1).max(64).describe('unique per delivery attempt series; receivers dedupe by it'),
  org: z.string(),
  ext: Ext,
  status: z.enum(['available', 'away']),
  reason: ReasonCode.nullable().describe("null when available; 'away' for a private reason"),
  label: z
    .string()
    .max(40)
    .optional()
    .describe(
      "the reason's label in the organisation's language; for a private reason only the word for away (sv 'Borta', da 'Væk', en 'Away')",
    ),
  until: IsoMinute.nullable().describe('return time; null while away means until further notice'),
  note: z.string().max(160).optional().describe('"Lunch, tillbaka 13:00": for the caller or a display'),
  alt: AltAnswer.nullable(),
  at: IsoTime,
});

/** issue 23: the switchboard opened, closed or closed for lunch (switchboard-service): night service on or off. */
export const OutboundService = z.object({
  v: z.literal(1),
  type: z.literal('service'),
  id: z.string().min(1).max(64).describe('unique per change; receivers dedupe by it'),
  org: z.string(),
  state: z
    .enum(['open', 'closed', 'lunch'])
    .describe('closed and lunch: night service (the after-hours message)'),
  since: IsoTime,
  until: IsoTime.optional().describe('when it next changes, where the settings say'),
  at: IsoTime,
});

export const WebhookError = z.object({
  error: z.enum(['signature', 'replay', 'too-large', 'malformed', 'not-found', 'method', 'unavailable']),
  message: z.string(),
});

export type InboundEvent = z.infer<typeof InboundEvent>;
export type OutboundReferral = z.infer<typeof OutboundReferral>;
export type OutboundService = z.infer<typeof OutboundService>;
