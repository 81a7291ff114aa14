// The contract's shared schema primitives: times, identifiers, codes, bounded text and the actor,
// apart from the message kinds so that each area's schemas build on one set (schemas.ts re-exports all but Text).
import { z } from 'zod';
import { LANGUAGES } from './languages.js';
import { SEGMENT_PATTERNS } from './segments.js';

export const IsoTime = z.iso
  .datetime({ precision: 3 })
  .describe('UTC instant, ISO 8601 with milliseconds and Z');
/** Return times are whole minutes. */
export const IsoMinute = IsoTime.refine((s) => s.endsWith(':00.000Z'), 'return time must be a whole minute');
export const Ext = z.string().regex(SEGMENT_PATTERNS.ext, 'extension: 1-15 digits');
export const DeviceId = z.string().regex(SEGMENT_PATTERNS.deviceId);
export const QueueId = z.string().regex(SEGMENT_PATTERNS.queueId);
export const DepartmentId = z.string().regex(SEGMENT_PATTERNS.departmentId);
export const ReasonCode = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,23}$/, 'reason code: lower-case letters, digits, -');
export const ClockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'time of day HH:MM');
export const Locale = z.enum(LANGUAGES);
/** A local calendar day in the organisation's zone. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'date YYYY-MM-DD');
/** Bounded free text; for the schema modules only, not re-exported by schemas.ts. */
export const Text = (max: number) => z.string().max(max);
export const Actor = z.object({
  kind: z.enum(['desk', 'operator', 'calendar', 'switchboard']),
  id: z.string().min(1).max(64),
});

export type IsoTime = z.infer<typeof IsoTime>;
export type Actor = z.infer<typeof Actor>;
