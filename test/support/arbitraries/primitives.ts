// The contract's building blocks as fast-check arbitraries: topic segments, times, texts, actors and
// alternative answering points, shared by every kind's body arbitraries.
import fc from 'fast-check';
import type * as S from '../../../protocol/schemas.js';
import { SEGMENT_PATTERNS } from '../../../protocol/topics.js';

export const org = fc.stringMatching(SEGMENT_PATTERNS.org);
export const ext = fc.stringMatching(SEGMENT_PATTERNS.ext);
export const deviceId = fc.stringMatching(SEGMENT_PATTERNS.deviceId);
export const queueId = fc.stringMatching(SEGMENT_PATTERNS.queueId);
export const departmentId = fc.stringMatching(SEGMENT_PATTERNS.departmentId);
export const messageId = fc.stringMatching(SEGMENT_PATTERNS.messageId);
export const reasonCode = fc.stringMatching(/^[a-z][a-z0-9-]{0,23}$/);
export const clockTime = fc
  .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) })
  .map(({ h, m }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);
/** A UTC instant with milliseconds, as the contract writes it. */
export const isoTime = fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms).toISOString());
/** A local calendar day (YYYY-MM-DD). */
export const localDate = fc
  .integer({ min: MIN_MS / 86_400_000, max: MAX_MS / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
/** Return times are whole minutes. */
export const isoMinute = fc
  .integer({ min: MIN_MS / 60_000, max: MAX_MS / 60_000 })
  .map((min) => new Date(min * 60_000).toISOString());

/** Any well-formed text of `min` to `max` code points (the contract's lengths), astral characters included. */
export const text = (max: number, min = 0) => fc.string({ unit: 'binary', minLength: min, maxLength: max });

/** Any UTF-16 code units, lone surrogates included: what JSON's \\u escapes can spell. */
export const codeUnits = (max: number, min = 0) =>
  fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
    minLength: min,
    maxLength: max,
  });

export const id64 = text(64, 1);
export const count = fc.nat({ max: 1_000_000 });

export const actor: fc.Arbitrary<S.Actor> = fc.record({
  kind: fc.constantFrom('desk', 'operator', 'calendar', 'switchboard'),
  id: id64,
});

export const altAnswer: fc.Arbitrary<S.AltAnswer> = fc.oneof(
  fc.record(
    { kind: fc.constant('forward' as const), to: ext, name: text(80) },
    { requiredKeys: ['kind', 'to'] },
  ),
  fc.record({ kind: fc.constant('info' as const), text: text(120) }, { requiredKeys: ['kind'] }),
);
