// Properties of the figures over random days: stopping a rollup anywhere and going on from its saved
// state gives the same figures as one pass; unstaffed time never exceeds the phone hours; and messages
// repeated by the broker change nothing.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Message, Presence } from '../../../protocol/index.js';
import { END, eventsOf, iso, PEOPLE, START, step } from '../../../test/fixtures/recorder-days.js';
import { recorded, SCENARIO_DAY, SCENARIO_ORG } from '../../../test/fixtures/recorder-scenario.js';
import { EventKeys, type RecordedEvent } from '../recorded-events.js';
import { gapsOf } from './gaps.js';
import { type AlarmRow, type DailyRow, mergeRow } from './rows.js';
import { initialState } from './state.js';
import { Timeline } from './timeline.js';

function runSplit(events: RecordedEvent[], cut: number) {
  const rows = new Map<string, DailyRow>();
  const alarms = new Map<string, AlarmRow>();
  let state = initialState(SCENARIO_ORG, START);
  const parts = [events.slice(0, cut), events.slice(cut)];
  parts.forEach((part, i) => {
    const timeline = new Timeline(state);
    for (const e of part) timeline.apply(e);
    const until = i === 0 ? Math.floor((part.at(-1)?.ord ?? START * 1000) / 1000) : END;
    timeline.flush(until);
    for (const [k, r] of timeline.rows) rows.set(k, rows.has(k) ? mergeRow(rows.get(k) as DailyRow, r) : r);
    for (const [k, a] of timeline.alarms) alarms.set(k, a);
    state = JSON.parse(JSON.stringify(timeline.state));
  });
  return { rows, alarms };
}

describe('figures over random days', () => {
  test('a rollup stopped anywhere and resumed from its saved state gives the same figures', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.nat(), (steps, k) => {
        const events = eventsOf(steps);
        const whole = runSplit(events, events.length);
        const split = runSplit(events, k % (events.length + 1));
        const round = (m: Map<string, DailyRow>) =>
          new Map(
            [...m].map(([key, r]) => [
              key,
              JSON.parse(
                JSON.stringify(r, (_k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)),
              ),
            ]),
          );
        expect(round(split.rows)).toEqual(round(whole.rows));
        expect(split.alarms).toEqual(whole.alarms);
        const bygg = whole.rows.get(`${SCENARIO_DAY}|bygg|`);
        expect(bygg?.unstaffed_s ?? 0).toBeLessThanOrEqual(3 * 3600);
        expect(bygg?.unstaffed_s ?? 0).toBeGreaterThanOrEqual(0);
        // one desk a person: at most the 9 working hours (a department row sums its desks)
        for (const r of whole.rows.values())
          if (r.ext !== '') expect(r.desk_offline_s).toBeLessThanOrEqual(9 * 3600);
        // calls: an outcome at most once per transfer, unreferred only of the unanswered, one ring
        // time per answer step at most
        const answers = steps.filter((s) => s.kind === 'call' && s.event === 'answered').length;
        for (const r of whole.rows.values()) {
          expect(r.transfers_answered + r.transfers_bounced).toBeLessThanOrEqual(r.transfers);
          expect(r.unreferred).toBeLessThanOrEqual(r.unanswered);
          expect(Object.values(r.ring_answers).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(answers);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('repeated and re-delivered messages are one event each', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...PEOPLE), fc.boolean(), fc.nat({ max: 3 })), { maxLength: 30 }),
        (list) => {
          const messages = list.map(([ext, away], seq) => {
            const at = iso(START + seq * 60_000);
            const body: Presence = {
              v: 1,
              status: away ? 'away' : 'available',
              reason: away ? 'lunch' : null,
              since: at,
              until: null,
              alt: null,
              seq,
              by: { kind: 'desk', id: 'd' },
              at,
            };
            return { kind: 'presence', org: SCENARIO_ORG, ext, body } as Message;
          });
          const once = new EventKeys('s');
          const again = new EventKeys('s');
          const ids = (keys: EventKeys, withRepeats: boolean) =>
            messages.flatMap((m, i) => {
              const copies = withRepeats ? 1 + (list[i]?.[2] ?? 0) : 1;
              return Array.from(
                { length: copies },
                (_, j) => keys.toEvent(`t/${(m as { ext: string }).ext}`, m, i * 10 + j)?.id,
              ).filter(Boolean);
            });
          expect(ids(again, true)).toEqual(ids(once, false));
        },
      ),
    );
  });

  test('overlapping recorder sessions: the unrecorded time is exactly the gaps the page shows', () => {
    const sessions = fc.array(
      fc.record({ start: fc.integer({ min: 0, max: 1100 }), length: fc.integer({ min: 1, max: 300 }) }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(sessions, (list) => {
        const stored = list.map((s, i) => ({
          id: `s${i}`,
          startedAt: START + s.start * 60_000,
          lastSeen: START + (s.start + s.length) * 60_000,
          stoppedAt: START + (s.start + s.length) * 60_000,
        }));
        const events = stored
          .flatMap((s) => [
            recorded('recorder', '', { phase: 'up', session: s.id }, iso(s.startedAt)),
            recorded('recorder', '', { phase: 'down', session: s.id }, iso(s.stoppedAt)),
          ])
          // at one instant a down before an up would be a gap of no length: either order is the same
          .sort((a, b) => a.ord - b.ord);
        const timeline = new Timeline(initialState(SCENARIO_ORG, START));
        for (const e of events) timeline.apply(e);
        timeline.flush(END);
        const unrecorded = timeline.rows.get(`${SCENARIO_DAY}||`)?.unrecorded_s ?? 0;
        const { gaps } = gapsOf(stored, END, 30_000);
        const shown = gaps.reduce((sum, g) => sum + (Math.min(g.to ?? END, END) - g.from) / 1000, 0);
        expect(unrecorded).toBeCloseTo(shown, 3);
      }),
      { numRuns: 200 },
    );
  });
});
