// Today's figures kept incrementally (today.ts) are exactly the replay's (rollup.ts liveTimeline), for
// random days appended in random batches to a real SQLite store, asked at random moments: with batches
// stored out of order (within the held-back window and far behind it), the board restarted mid-day (a
// new TodayFigures), the recorder down, and across midnight and the rollup of the closed day.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventsOf, START, step } from '../../test/fixtures/recorder-days.js';
import { SCENARIO_ORG } from '../../test/fixtures/recorder-scenario.js';
import type { DailyRow } from './figures/rows.js';
import type { Timeline } from './figures/timeline.js';
import type { RecordedEvent } from './recorded-events.js';
import { liveTimeline, rollup } from './rollup.js';
import { openStorage } from './storage/open.js';
import { TodayFigures } from './today.js';

const DAY_MINUTES = 24 * 60;

const byKey = (rows: DailyRow[]) =>
  Object.fromEntries(
    rows
      .map((r): [string, DailyRow] => [`${r.day}|${r.department}|${r.ext}`, r])
      .sort(([a], [b]) => a.localeCompare(b)),
  );

/** What a request reads of a timeline: its rows and alarms by key, and the rows it reads by department. */
const figures = (t: Timeline | undefined) =>
  t && {
    rows: byKey([...t.rows.values()]),
    alarms: Object.fromEntries([...t.alarms.entries()].sort(([a], [b]) => a.localeCompare(b))),
    departments: byKey(t.rowsOf(undefined, false)),
    bygg: byKey(t.rowsOf('bygg', true)),
  };

const action = fc.record({
  /** events in this append */
  size: fc.integer({ min: 1, max: 6 }),
  /**
   * stored this many batches later: a second recorder behind (within the held-back window when its
   * events are seconds apart), or a batch kept while the store was away
   */
  delay: fc.constantFrom(0, 0, 0, 1, 2, 4),
  ask: fc.constantFrom(true, true, true, false),
  /** asked this many seconds after the newest event (a past "now" too) */
  after: fc.integer({ min: -1800, max: 3600 }),
  down: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
  restart: fc.constantFrom(false, false, false, false, false, true),
  rollup: fc.constantFrom(false, false, false, true),
});

let dir: string;
let stores = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-today-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('today kept incrementally', () => {
  test('equals the replay of the day, batch by batch, across late batches, restarts and midnight', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 30 }),
        fc.array(step, { maxLength: 20 }),
        fc.array(action, { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        async (first, second, actions, crowded) => {
          // two days: the second's steps a day later
          const day = eventsOf([...first, ...second.map((s) => ({ ...s, minute: s.minute + DAY_MINUTES }))]);
          // crowded: received 50 ms apart, so a batch stored out of order is within the held-back window
          const events = crowded
            ? day.map((e, k) => ({ ...e, ord: (START + 8 * 3_600_000 + k * 50) * 1000 }))
            : day;
          const storage = await openStorage(join(dir, `today-${++stores}.db`));
          try {
            let today = new TodayFigures(storage);
            // batches waiting to be stored, by the action that stores them
            const held = new Map<number, RecordedEvent[][]>();
            let i = 0;
            let newest = 0;
            for (const [n, a] of actions.entries()) {
              const last = n === actions.length - 1;
              const batch = events.slice(i, last ? events.length : i + a.size);
              i += batch.length;
              const at = last ? n : n + a.delay;
              held.set(at, [...(held.get(at) ?? []), batch]);
              for (const [k, list] of held)
                if (k <= n || last) {
                  for (const b of list) if (b.length) await storage.append(b);
                  held.delete(k);
                }
              newest = Math.max(newest, ...batch.map((e) => Math.floor(e.ord / 1000)));
              const now = newest + a.after * 1000;
              if (a.rollup) await rollup(storage, SCENARIO_ORG, now, 30);
              if (a.restart) today = new TodayFigures(storage);
              if (a.ask || last) {
                const downSince = a.down === undefined ? undefined : now - a.down * 1000;
                const kept = await today.timeline(SCENARIO_ORG, now, downSince);
                const replayed = await liveTimeline(storage, SCENARIO_ORG, now, downSince);
                expect(figures(kept)).toEqual(figures(replayed));
              }
            }
          } finally {
            await storage.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
