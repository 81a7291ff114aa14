// The next absence within the working day (issue 27): in Stockholm, working days 08:00–17:00.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { endOfWorkday } from '../../rules/time.js';
import { type Absence, mergeAbsences } from './absence.js';
import { nextAbsence } from './next-absence.js';

const ctx = { calendar: DEFAULT_POLICY, reasons: DEFAULT_POLICY.reasons, privateReason: 'out' };
const at = (iso: string) => Date.parse(iso);
const absence = (from: string, to: string, reason: string, isPrivate = false): Absence => ({
  start: at(from),
  end: at(to),
  reason,
  private: isPrivate,
});
// Wednesday 2 December 2026, 10:00 in Stockholm (UTC+1)
const NOW = at('2026-12-02T09:00:00Z');

describe('next absence', () => {
  it('the first absence after now today, to the end of its whole block; the current one is not next', () => {
    const blocks = mergeAbsences(
      [
        absence('2026-12-02T08:30:00Z', '2026-12-02T09:30:00Z', 'meeting'),
        absence('2026-12-02T13:00:00Z', '2026-12-02T14:00:00Z', 'meeting'),
        absence('2026-12-02T14:00:00Z', '2026-12-02T14:29:30Z', 'lunch'),
      ],
      0,
    );
    expect(nextAbsence(blocks, NOW, ctx)).toEqual({
      next: { from: '2026-12-02T13:00:00.000Z', to: '2026-12-02T14:30:00.000Z', reason: 'meeting' },
      changesAt: at('2026-12-02T13:00:00Z'),
    });
  });

  it('none when the next one is after the working day; the answer changes when the day ends', () => {
    const blocks = mergeAbsences([absence('2026-12-03T08:00:00Z', '2026-12-03T09:00:00Z', 'meeting')], 0);
    expect(nextAbsence(blocks, NOW, ctx)).toEqual({ changesAt: at('2026-12-02T16:00:00Z') });
    // after hours, the window is the next working day: tomorrow's meeting is next
    expect(nextAbsence(blocks, at('2026-12-02T18:00:00Z'), ctx).next).toMatchObject({ reason: 'meeting' });
  });

  it('a private entry shows only the stand-in reason; a reason the organisation lacks is skipped', () => {
    const blocks = mergeAbsences(
      [
        absence('2026-12-02T10:00:00Z', '2026-12-02T11:00:00Z', 'no-such-reason'),
        absence('2026-12-02T12:00:00Z', '2026-12-02T13:00:00Z', 'sick', true),
      ],
      0,
    );
    expect(nextAbsence(blocks, NOW, ctx).next).toEqual({
      from: '2026-12-02T12:00:00.000Z',
      to: '2026-12-02T13:00:00.000Z',
      reason: 'out',
    });
  });

  it('any schedule: the next one starts after now, before the day ends, and no known absence starts between', () => {
    const codes = ['meeting', 'lunch', 'trip', 'unknown-code'];
    const entry = fc
      .record({ start: fc.integer({ min: 0, max: 3 * 24 * 60 }), minutes: fc.integer({ min: 1, max: 600 }) })
      .chain((e) =>
        fc.constantFrom(...codes).map((reason) => ({
          start: NOW - 12 * 3600_000 + e.start * 60_000,
          end: NOW - 12 * 3600_000 + (e.start + e.minutes) * 60_000,
          reason,
          private: false,
        })),
      );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.integer({ min: 0, max: 24 * 60 }), (entries, m) => {
        const now = NOW + m * 60_000;
        const blocks = mergeAbsences(entries, 0);
        const { next, changesAt } = nextAbsence(blocks, now, ctx);
        const dayEnd = endOfWorkday(new Date(now), DEFAULT_POLICY).getTime();
        expect(changesAt).toBeGreaterThan(now);
        if (!next) {
          expect(changesAt).toBe(dayEnd);
          return;
        }
        const from = Date.parse(next.from);
        expect(from).toBeGreaterThan(now);
        expect(from).toBeLessThan(dayEnd);
        expect(Date.parse(next.to)).toBeGreaterThan(from);
        const earlier = blocks.filter(
          (b) => b.start > now && b.start < from && b.members[0]?.reason !== 'unknown-code',
        );
        expect(earlier).toEqual([]);
      }),
    );
  });
});
