import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEQ, type Message, Presence } from '../../protocol/index.js';
import { policyFromOrg } from '../../rules/policy.js';
import * as arb from '../../test/support/arbitraries.js';
import { type Calendar, createCalendar } from './calendar.js';
import { DEMO_ORG, DEMO_PEOPLE } from './scenario.js';

// Monday 23 November 2026, 09:05 in Stockholm (CET, UTC+1)
const START = Date.parse('2026-11-23T08:05:00.000Z');
const policy = policyFromOrg(DEMO_ORG);
const NO_DESK = DEMO_PEOPLE.slice(4).map((p) => p.ext);

type PresenceMessage = Extract<Message, { kind: 'presence' }>;
type StatusMessage = Extract<Message, { kind: 'calendar-status' }>;

/** The presences among a step's messages; it publishes nothing else but its calendar statuses. */
function presences(messages: Message[]): PresenceMessage[] {
  return messages.flatMap((m) => {
    if (m.kind === 'calendar-status') return [];
    if (m.kind !== 'presence') throw new Error(`calendar published ${m.kind}`);
    return [m];
  });
}

const statuses = (messages: Message[]) =>
  messages.filter((m): m is StatusMessage => m.kind === 'calendar-status');

/** Each presence with its step's time, and whether the step began planned entries (it says so in a status). */
function run(
  calendar: Calendar,
  steps: number,
  start = START,
): { at: number; message: PresenceMessage; planned: boolean }[] {
  const out: { at: number; message: PresenceMessage; planned: boolean }[] = [];
  let now = start;
  for (let i = 0; i < steps; i++) {
    const { messages, delayMs } = calendar.step(now);
    const planned = statuses(messages).length > 0;
    for (const message of presences(messages)) out.push({ at: now, message, planned });
    now += delayMs;
  }
  return out;
}

describe('simulated calendar', () => {
  it('first sets everyone: a mix whose return times are the domain rules', () => {
    const calendar = createCalendar({ org: 'demo', exts: NO_DESK, seed: 1, policy });
    const first = presences(calendar.step(START).messages);
    expect(first.map((m) => m.ext).sort()).toEqual([...NO_DESK].sort());
    const byReason = new Map(first.map((m) => [m.body?.reason ?? null, m.body]));
    // six people, six different states: the seeded deck deals each once
    expect([...byReason.keys()].sort()).toEqual(
      [null, 'lunch', 'meeting', 'sick', 'trip', 'vacation'].sort(),
    );
    expect(byReason.get(null)?.status).toBe('available');
    expect(byReason.get('meeting')?.until).toBe('2026-11-23T09:15:00.000Z'); // 10:15: quarter past one hour
    expect(byReason.get('lunch')?.until).toBe('2026-11-23T08:50:00.000Z'); // 45 min
    expect(byReason.get('trip')?.until).toBe('2026-11-23T16:00:00.000Z'); // 17:00, end of the working day
    expect(byReason.get('sick')?.until).toBe('2026-11-24T07:00:00.000Z'); // Tuesday 08:00
    expect(byReason.get('vacation')?.until).toBeNull(); // until further notice
    for (const m of first) expect(m.body?.by).toEqual({ kind: 'calendar', id: 'calendar' });
  });

  it('then changes one person at a time at a slow rhythm: meetings start, people come back', () => {
    const calendar = createCalendar({ org: 'demo', exts: NO_DESK, seed: 3, policy });
    const log = run(calendar, 300);
    const bodies = log.map(({ message }) => message.body);
    expect(bodies.some((b) => b?.reason === 'meeting' && b.seq > 1)).toBe(true);
    expect(bodies.some((b) => b?.reason === 'lunch' && b.seq > 1)).toBe(true);
    expect(bodies.some((b) => b?.status === 'available' && b.seq > 1)).toBe(true);
    const perStep = new Map<number, number>();
    // apart from planned entries beginning together (a meeting for several people at 14:00)
    for (const { at, planned } of log.slice(NO_DESK.length))
      if (!planned) perStep.set(at, (perStep.get(at) ?? 0) + 1);
    expect(Math.max(...perStep.values())).toBe(1);
  });

  it('is deterministic for a seed, and different seeds differ', () => {
    const make = (seed: number) => createCalendar({ org: 'demo', exts: NO_DESK, seed, policy });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        expect(run(make(seed), 60)).toEqual(run(make(seed), 60));
      }),
      { numRuns: 20 },
    );
    expect(run(make(1), 60)).not.toEqual(run(make(2), 60));
  });

  it('only its people, valid presences, seq above everything seen, whatever else writes', () => {
    const seenPresence = fc.record({
      ext: fc.oneof(fc.constantFrom(...DEMO_PEOPLE.map((p) => p.ext)), arb.ext),
      presence: fc.option(arb.presence, { nil: null, freq: 10 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.subarray(DEMO_PEOPLE.map((p) => p.ext)),
        // before the first step: what an earlier run or an operator left retained; then between steps
        fc.array(seenPresence, { maxLength: 12 }),
        fc.array(fc.array(seenPresence, { maxLength: 2 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        (seed, exts, retained, between, start) => {
          const calendar = createCalendar({ org: 'demo', exts, seed, policy });
          // the highest seq each ext is known to have reached, by anyone
          const floor = new Map<string, number>();
          const see = ({ ext, presence }: { ext: string; presence: Presence | null }) => {
            calendar.seen(ext, presence);
            if (presence) floor.set(ext, Math.max(floor.get(ext) ?? -1, presence.seq));
          };
          retained.forEach(see);
          let now = start;
          for (const seen of between) {
            const { messages, delayMs } = calendar.step(now);
            // cut short only to land on a planned entry
            expect(delayMs).toBeGreaterThan(0);
            expect(delayMs).toBeLessThan(15_000);
            for (const m of presences(messages)) {
              expect(exts).toContain(m.ext);
              expect(m.org).toBe('demo');
              expect(Presence.safeParse(m.body).success).toBe(true);
              if (!m.body) throw new Error('the calendar never clears a presence');
              // above it, or at the top of the range, where `at` orders (docs/protocol.md, Ordering)
              if (m.body.seq !== MAX_SEQ) expect(m.body.seq).toBeGreaterThan(floor.get(m.ext) ?? -1);
              floor.set(m.ext, m.body.seq);
            }
            seen.forEach(see);
            now += delayMs;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('says what comes next for some people, on a quarter hour ahead, and keeps its word when it comes', () => {
    const calendar = createCalendar({ org: 'demo', exts: NO_DESK, seed: 1, policy });
    const first = calendar.step(START);
    // a calendar status for each of its people, as the calendar bridge publishes (calendar/{ext})
    const told = statuses(first.messages);
    expect(told.map((m) => m.ext).sort()).toEqual([...NO_DESK].sort());
    for (const m of told) expect(m.body).toMatchObject({ v: 1, ok: true, failures: 0 });
    const planned = new Map(told.flatMap((m) => (m.body?.next ? [[m.ext, m.body.next] as const] : [])));
    expect(planned.size).toBeGreaterThan(0);
    expect(planned.size).toBeLessThan(NO_DESK.length);
    for (const next of planned.values()) {
      const from = Date.parse(next.from);
      expect(from % 900_000).toBe(0);
      expect(from - START).toBeGreaterThanOrEqual(20 * 60_000);
      expect(from - START).toBeLessThanOrEqual(135 * 60_000);
      expect(Date.parse(next.to)).toBeGreaterThan(from);
    }
    // step on: a step lands on each entry's start and refers the person, returning at its end
    const begun = new Map<string, PresenceMessage>();
    let now = START + first.delayMs;
    while (now <= START + 3 * 3_600_000) {
      const { messages, delayMs } = calendar.step(now);
      for (const m of presences(messages)) {
        const next = planned.get(m.ext);
        if (next && Date.parse(next.from) === now && !begun.has(m.ext)) begun.set(m.ext, m);
      }
      now += delayMs;
    }
    expect([...begun.keys()].sort()).toEqual([...planned.keys()].sort());
    for (const [ext, m] of begun) {
      const next = planned.get(ext);
      expect(m.body).toMatchObject({ status: 'away', reason: next?.reason });
      // the entry replaces what the person was doing: back at its end
      expect(m.body?.until).toBe(next?.to);
    }
  });

  it('a restart continues above what the last run left retained', () => {
    const first = createCalendar({ org: 'demo', exts: NO_DESK, seed: 9, policy });
    const left = new Map<string, Presence>();
    for (const { message } of run(first, 50)) if (message.body) left.set(message.ext, message.body);

    const again = createCalendar({ org: 'demo', exts: NO_DESK, seed: 9, policy });
    for (const [ext, p] of left) again.seen(ext, p);
    const later = START + 3_600_000;
    const restarted = presences(again.step(later).messages);
    expect(restarted.length).toBeGreaterThan(0);
    for (const m of restarted) expect(m.body?.seq).toBeGreaterThan(left.get(m.ext)?.seq ?? -1);
  });

  it('sets a cleared person afresh', () => {
    const calendar = createCalendar({ org: 'demo', exts: ['2204'], seed: 4, policy });
    const [set] = presences(calendar.step(START).messages);
    calendar.seen('2204', null);
    const again = presences(calendar.step(START + 10_000).messages);
    expect(again.map((m) => m.ext)).toEqual(['2204']);
    // still above the cleared one: a desk or board that kept it in memory adopts the new one
    expect(again[0]?.body?.seq).toBeGreaterThan(set?.body?.seq ?? Number.POSITIVE_INFINITY);
  });
});
