// Payload schemas the operator boards write: a department's service level and revoked board sessions;
// re-exported by schemas.ts, the contract's one import point.
import { z } from 'zod';
import { IsoTime, Text } from './schema-primitives.js';

/**
 * board/service-level/{departmentId}: the service level the department's manager set (Grästorp:
 * "sektorchef bestämmer servicenivå"), the figures the manager's view measures against; retained.
 */
export const ServiceLevel = z.object({
  v: z.literal(1),
  /** the share of the department's calls answered within the statistics' threshold, percent */
  answeredWithinPercent: z.number().int().min(1).max(100),
  /** the most minutes a day the department may be left unstaffed in its phone hours; absent: none set */
  maxUnstaffedMinutes: z.number().int().min(0).max(1440).optional(),
  /** the username of who set it */
  setBy: Text(64).min(1),
  at: IsoTime,
});

/**
 * board/revoked/{sessionId}: a board login logged out, refused by every board until `until` (its
 * absolute expiry), when a board clears the topic. Retained; boards are its only writers.
 */
export const SessionRevoked = z.object({
  v: z.literal(1),
  until: IsoTime,
});

export type ServiceLevel = z.infer<typeof ServiceLevel>;
export type SessionRevoked = z.infer<typeof SessionRevoked>;
