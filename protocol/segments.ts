// The identifiers that become topic segments, apart from the topic tree so the schemas (which check
// them in bodies) and the kind table (which the topics read) do not import each other.

/** Identifiers that become topic segments. None may contain '/', '+', '#' or be empty. */
export const SEGMENT_PATTERNS = {
  org: /^[a-z0-9][a-z0-9-]{0,31}$/,
  ext: /^[0-9]{1,15}$/,
  deviceId: /^[a-z0-9][a-z0-9_-]{0,63}$/,
  queueId: /^[a-z0-9][a-z0-9_-]{0,63}$/,
  departmentId: /^[a-z0-9][a-z0-9_-]{0,63}$/,
  /** a phone message's id (the board makes UUIDs); a topic segment, so one retained topic per message */
  messageId: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
  /** a logged-out login session: an HMAC-SHA256 under the boards' session secret, base64url */
  sessionId: /^[A-Za-z0-9_-]{43}$/,
} as const;

export type SegmentName = keyof typeof SEGMENT_PATTERNS;
