// The recorder's gaps as the statistics page shows them: only time no session covered, so overlapping
// sessions (a rolling restart, two recorders on one store) never make a false gap or one that ends
// before it starts.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { RecorderSession } from '../storage/port.js';
import { gapsOf } from './gaps.js';

const HEARTBEAT = 30_000;
const NOW = 10_000_000;
const session = (id: string, startedAt: number, stoppedAt: number | null, lastSeen = stoppedAt ?? NOW) => ({
  id,
  startedAt,
  lastSeen,
  stoppedAt,
});

describe('gaps between recorder sessions', () => {
  test('a rolling restart (the new one up before the old one stops) is no gap', () => {
    const { gaps, downSince } = gapsOf(
      [session('old', 1000, 5000), session('new', 4000, null)],
      NOW,
      HEARTBEAT,
    );
    expect(gaps).toEqual([]);
    expect(downSince).toBeUndefined();
  });

  test('a short session inside a long one leaves no gap after it', () => {
    const { gaps } = gapsOf(
      [session('long', 1000, 9000), session('short', 2000, 3000), session('next', 9500, null)],
      NOW,
      HEARTBEAT,
    );
    expect(gaps).toEqual([{ from: 9000, to: 9500 }]);
  });

  test('a crashed session ends at its last heartbeat; a live one keeps the store covered', () => {
    const crashed = session('crashed', 1000, null, 2000);
    expect(gapsOf([crashed], NOW, HEARTBEAT)).toEqual({ gaps: [{ from: 2000, to: null }], downSince: 2000 });
    expect(gapsOf([crashed, session('live', 1500, null)], NOW, HEARTBEAT).gaps).toEqual([]);
  });

  test('no session at all: nothing was ever recorded', () => {
    expect(gapsOf([], NOW, HEARTBEAT)).toEqual({ gaps: [{ from: 0, to: null }], downSince: undefined });
  });

  test('over random sessions: every gap starts before it ends, and a time is in a gap exactly when no session covers it', () => {
    const arbitrary = fc.array(
      fc.record({ start: fc.nat({ max: 100 }), length: fc.nat({ max: 40 }), open: fc.boolean() }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(arbitrary, (list) => {
        const sessions: RecorderSession[] = list.map((s, i) =>
          session(`s${i}`, s.start * 1000, s.open ? null : (s.start + s.length) * 1000),
        );
        const now = 200_000;
        const { gaps } = gapsOf(sessions, now, HEARTBEAT);
        for (const g of gaps) expect(g.to === null || g.from < g.to).toBe(true);
        const first = Math.min(...sessions.map((s) => s.startedAt));
        for (let t = first; t < now; t += 500) {
          const covered = sessions.some((s) => s.startedAt <= t && (s.stoppedAt === null || t < s.stoppedAt));
          const inGap = gaps.some((g) => g.from <= t && (g.to === null || t < g.to));
          expect(inGap).toBe(!covered);
        }
      }),
    );
  });
});
