import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedFrame } from '../../hardware/port.js';
import type { Actor, KeyLayout, Mwi, Presence, Queue } from '../../protocol/index.js';
import { DEFAULT_LAYOUT, DEFAULT_QUEUE } from '../../protocol/layouts.js';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { applyAction, initialPresence } from '../../rules/referral.js';
import type { LinkStatus } from '../../session/contract-session.js';
import { type LedInputs, nextFrameChange, render } from './leds.js';

const desk: Actor = { kind: 'desk', id: 'desk-1' };
const at = (s: string) => new Date(s);
const NOW = at('2026-05-04T07:05:00Z'); // Monday 09:05 Stockholm
const open = initialPresence(at('2026-05-04T06:00:00Z'), desk);
const lunch = applyAction(
  open,
  { type: 'reason', reason: 'lunch' },
  { now: NOW, policy: DEFAULT_POLICY, actor: desk },
);
// LED numbers of the default layout
const AVAILABLE = 0;
const LUNCH = 1;
const MEETING = 2;
const MESSAGE = 9;
const QUEUE = 10;
const LINK = 11;

function inputs(over: Partial<LedInputs> = {}): LedInputs {
  return {
    presence: open,
    mwi: null,
    voicemail: 0,
    queues: new Map(),
    lines: new Map(),
    link: 'online',
    now: NOW,
    policy: DEFAULT_POLICY,
    layout: DEFAULT_LAYOUT.leds,
    ledCount: 12,
    ...over,
  };
}
const queue = (waiting: number, oldestSince: string | null, extra: Partial<Queue> = {}): Map<string, Queue> =>
  new Map([[DEFAULT_QUEUE, { v: 1, waiting, oldestSince, at: NOW.toISOString(), ...extra }]]);
const message = (taken: string, callbackBy: string | null) => ({
  id: `m-${taken}`,
  at: taken,
  text: 'ring tillbaka',
  callbackBy,
});

describe('render', () => {
  it('available: the available LED green, the rest dark', () => {
    const frame = render(inputs());
    expect(frame).toHaveLength(12);
    expect(frame[AVAILABLE]).toEqual({ pattern: 'on', color: 'green' });
    expect(frame.filter((l) => l.pattern !== 'off')).toHaveLength(1);
  });

  it('away: the active reason lit red, available dark', () => {
    const frame = render(inputs({ presence: lunch }));
    expect(frame[LUNCH]).toEqual({ pattern: 'on', color: 'red' });
    expect(frame[AVAILABLE]?.pattern).toBe('off');
    expect(frame[MEETING]?.pattern).toBe('off');
  });

  it('the nudge: five minutes before a same-day return time the reason LED blinks slowly, amber', () => {
    expect(render(inputs({ presence: lunch, now: at('2026-05-04T07:44:59Z') }))[LUNCH]).toEqual({
      pattern: 'on',
      color: 'red',
    });
    expect(render(inputs({ presence: lunch, now: at('2026-05-04T07:45:00Z') }))[LUNCH]).toEqual({
      pattern: 'slow',
      color: 'amber',
    });
    // the organisation turned it off: steady until the return time
    const off = inputs({
      presence: lunch,
      now: at('2026-05-04T07:49:59Z'),
      policy: { ...DEFAULT_POLICY, nudgeMinutes: 0 },
    });
    expect(render(off)[LUNCH]?.pattern).toBe('on');
  });

  it('overdue: the reason LED blinks slowly, red, from the return time on', () => {
    expect(render(inputs({ presence: lunch, now: at('2026-05-04T07:49:59Z') }))[LUNCH]?.color).toBe('amber');
    expect(render(inputs({ presence: lunch, now: at('2026-05-04T07:50:00Z') }))[LUNCH]).toEqual({
      pattern: 'slow',
      color: 'red',
    });
  });

  it('message lamp: on with voicemail or messages, fast once a callback is late', () => {
    expect(render(inputs({ mwi: { v: 1, messages: [] } }))[MESSAGE]?.pattern).toBe('off');
    // voicemail comes from its own topic: lit with no mwi at all, or an empty one
    for (const mwi of [null, { v: 1 as const, messages: [] }]) {
      expect(render(inputs({ mwi, voicemail: 2 }))[MESSAGE]).toEqual({ pattern: 'on', color: 'amber' });
    }
    const mwi: Mwi = {
      v: 1,
      messages: [message('2026-05-04T06:00:00.000Z', '2026-05-04T15:00:00.000Z')],
    };
    expect(render(inputs({ mwi }))[MESSAGE]?.pattern).toBe('on');
    expect(render(inputs({ mwi, now: at('2026-05-04T15:00:00Z') }))[MESSAGE]).toEqual({
      pattern: 'fast',
      color: 'red',
    });
  });

  it('voicemail escalates when the phone system tells its age: past the next working day (Högsby)', () => {
    // the oldest came Monday 09:00: by Tuesday 17:00 it is late, and the lamp wakes then by itself
    const vm = { voicemail: 1, voicemailSince: '2026-05-04T07:00:00.000Z' };
    expect(render(inputs(vm))[MESSAGE]?.pattern).toBe('on');
    expect(nextFrameChange(inputs(vm))?.toISOString()).toBe('2026-05-05T15:00:00.000Z');
    expect(render(inputs({ ...vm, now: at('2026-05-05T15:00:00Z') }))[MESSAGE]?.pattern).toBe('fast');
  });

  it('a message without its own deadline follows the org rule (next working day by default)', () => {
    // taken Friday 10:00 → call back by Monday 17:00 (next working day); same-day → Friday 17:00
    const mwi: Mwi = { v: 1, messages: [message('2026-05-08T08:00:00.000Z', null)] };
    const fridayEvening = at('2026-05-08T16:00:00Z');
    expect(render(inputs({ mwi, now: fridayEvening }))[MESSAGE]?.pattern).toBe('on');
    expect(render(inputs({ mwi, now: at('2026-05-11T15:00:00Z') }))[MESSAGE]?.pattern).toBe('fast');
    const sameDay = { ...DEFAULT_POLICY, callback: 'same-day' as const };
    expect(render(inputs({ mwi, now: fridayEvening, policy: sameDay }))[MESSAGE]?.pattern).toBe('fast');
  });

  it('queue lamp: off when empty, on with calls, fast past 20 s (4 rings)', () => {
    expect(render(inputs({ queues: queue(0, null) }))[QUEUE]?.pattern).toBe('off');
    expect(render(inputs({ queues: queue(2, '2026-05-04T07:04:41.000Z') }))[QUEUE]).toEqual({
      pattern: 'on',
      color: 'amber',
    });
    expect(render(inputs({ queues: queue(2, '2026-05-04T07:04:40.000Z') }))[QUEUE]).toEqual({
      pattern: 'fast',
      color: 'red',
    });
    // another department's queue does not light ours
    expect(
      render(
        inputs({
          queues: new Map([['other', { v: 1, waiting: 5, oldestSince: null, at: NOW.toISOString() }]]),
        }),
      )[QUEUE]?.pattern,
    ).toBe('off');
  });

  it("queue lamp: the queue's own alarmSeconds wins over the default; stale reads as unknown, not empty", () => {
    // 5 s waited: past a 4 s threshold, before the default 20 s
    const waited5s = '2026-05-04T07:04:55.000Z';
    expect(render(inputs({ queues: queue(1, waited5s, { alarmSeconds: 4 }) }))[QUEUE]?.pattern).toBe('fast');
    expect(render(inputs({ queues: queue(1, waited5s) }))[QUEUE]?.pattern).toBe('on');
    // 30 s waited under a 60 s threshold: no alarm yet
    const waited30s = '2026-05-04T07:04:30.000Z';
    expect(render(inputs({ queues: queue(1, waited30s, { alarmSeconds: 60 }) }))[QUEUE]?.pattern).toBe('on');
    for (const waiting of [0, 3])
      expect(render(inputs({ queues: queue(waiting, waited30s, { stale: true }) }))[QUEUE]).toEqual({
        pattern: 'slow',
        color: 'amber',
      });
  });

  it.each([
    ['online', 'off'],
    ['connecting', 'slow'],
    ['offline', 'fast'],
  ] as const)('link %s → %s', (link, pattern) => {
    expect(render(inputs({ link }))[LINK]?.pattern).toBe(pattern);
  });

  it('ledCount rules: roles past the panel are dropped, unused LEDs dark', () => {
    expect(render(inputs({ ledCount: 4 }))).toHaveLength(4);
    expect(render(inputs({ ledCount: 20 }))[15]).toEqual({ pattern: 'off' });
    expect(render(inputs({ ledCount: 0 }))).toEqual([]);
  });

  it('two roles on one LED: the more urgent shows', () => {
    const layout: KeyLayout['leds'] = [
      { led: 0, role: { type: 'link' } },
      { led: 0, role: { type: 'available' } },
    ];
    expect(render(inputs({ layout, ledCount: 1 }))[0]?.pattern).toBe('on');
    expect(render(inputs({ layout, ledCount: 1, link: 'offline' }))[0]?.pattern).toBe('fast');
  });

  it("line lamp: a colleague's phone steady red in a call, fast while it rings, dark idle or unknown", () => {
    const layout = [{ led: 0, role: { type: 'line' as const, ext: '2002' } }];
    const line = (state: 'idle' | 'ringing' | 'in-call') =>
      new Map([['2002', { v: 1 as const, state, since: NOW.toISOString() }]]);
    expect(render(inputs({ layout, ledCount: 1 }))[0]).toEqual({ pattern: 'off' });
    expect(render(inputs({ layout, ledCount: 1, lines: line('idle') }))[0]).toEqual({ pattern: 'off' });
    expect(render(inputs({ layout, ledCount: 1, lines: line('ringing') }))[0]).toEqual({
      pattern: 'fast',
      color: 'red',
    });
    expect(render(inputs({ layout, ledCount: 1, lines: line('in-call') }))[0]).toEqual({
      pattern: 'on',
      color: 'red',
    });
    // another colleague's line is not this lamp's
    const other = new Map([['2003', { v: 1 as const, state: 'in-call' as const, since: NOW.toISOString() }]]);
    expect(render(inputs({ layout, ledCount: 1, lines: other }))[0]).toEqual({ pattern: 'off' });
  });

  it('alt lamp: on while away with an alternative answering point', () => {
    const layout: KeyLayout['leds'] = [{ led: 0, role: { type: 'alt' } }];
    const info = applyAction(lunch, { type: 'alt-info' }, { now: NOW, policy: DEFAULT_POLICY, actor: desk });
    expect(render(inputs({ layout, ledCount: 1, presence: lunch }))[0]?.pattern).toBe('off');
    expect(render(inputs({ layout, ledCount: 1, presence: info }))[0]?.pattern).toBe('on');
  });
});

describe('nextFrameChange', () => {
  it('is undefined while nothing can change by time alone', () => {
    expect(nextFrameChange(inputs())).toBeUndefined();
    expect(
      nextFrameChange(inputs({ link: 'offline', mwi: { v: 1, messages: [] }, voicemail: 3 })),
    ).toBeUndefined();
  });

  it('is the earliest of nudge, return time, callback deadline and queue alarm', () => {
    // the nudge, five minutes before the return time; once in it, the return time
    expect(nextFrameChange(inputs({ presence: lunch }))?.toISOString()).toBe('2026-05-04T07:45:00.000Z');
    expect(nextFrameChange(inputs({ presence: lunch, now: at('2026-05-04T07:45:00Z') }))?.toISOString()).toBe(
      lunch.until,
    );
    const withQueue = inputs({ presence: lunch, queues: queue(1, '2026-05-04T07:04:50.000Z') });
    expect(nextFrameChange(withQueue)?.toISOString()).toBe('2026-05-04T07:05:10.000Z');
    const mwi: Mwi = {
      v: 1,
      messages: [message('2026-05-04T06:00:00.000Z', '2026-05-04T07:30:00.000Z')],
    };
    expect(nextFrameChange(inputs({ presence: lunch, mwi }))?.toISOString()).toBe('2026-05-04T07:30:00.000Z');
  });

  it('ignores what no LED shows', () => {
    expect(nextFrameChange(inputs({ presence: lunch, layout: [], ledCount: 12 }))).toBeUndefined();
    expect(nextFrameChange(inputs({ presence: lunch, ledCount: 1 }))).toBeUndefined();
  });
});

describe('properties', () => {
  // instants clustered within minutes of each other (so thresholds fall between them), some far apart
  const base = Date.parse('2026-05-08T14:58:00Z'); // Friday, two minutes before the working day ends
  const iso = fc
    .oneof(
      fc.integer({ min: base - 120_000, max: base + 120_000 }),
      fc.integer({ min: base - 30 * 86_400_000, max: base + 30 * 86_400_000 }),
    )
    .map((t) => new Date(t).toISOString());
  const minute = iso.map((s) => `${s.slice(0, 16)}:00.000Z`);
  const presence: fc.Arbitrary<Presence> = fc.oneof(
    fc.constant(open),
    fc
      .record({
        reason: fc.constantFrom('lunch', 'meeting', 'sick', 'zzz'),
        until: fc.option(minute, { nil: null }),
      })
      .map(({ reason, until }): Presence => ({ ...open, status: 'away', reason, until })),
  );
  const mwi: fc.Arbitrary<Mwi | null> = fc.option(
    fc.record({
      v: fc.constant(1 as const),
      messages: fc.array(
        fc.record({
          id: fc.string({ minLength: 1 }),
          at: iso,
          text: fc.string(),
          callbackBy: fc.option(iso, { nil: null }),
        }),
        { maxLength: 4 },
      ),
    }),
    { nil: null },
  );
  const queues = fc
    .array(
      fc.tuple(
        fc.constantFrom('main', 'other'),
        fc.record({
          v: fc.constant(1 as const),
          waiting: fc.nat(4),
          oldestSince: fc.option(iso, { nil: null }),
          at: iso,
        }),
      ),
      { maxLength: 3 },
    )
    .map((entries) => new Map(entries));
  const role = fc.oneof(
    fc.constantFrom('lunch', 'meeting', 'sick').map((reason) => ({ type: 'reason' as const, reason })),
    fc.constantFrom(
      { type: 'available' as const },
      { type: 'alt' as const },
      { type: 'message' as const },
      { type: 'link' as const },
      { type: 'queue' as const, queue: 'main' },
      { type: 'queue' as const, queue: 'other' },
      { type: 'line' as const, ext: '2002' },
    ),
  );
  const lines = fc
    .array(
      fc.tuple(
        fc.constantFrom('2002', '2003'),
        fc.record({
          v: fc.constant(1 as const),
          state: fc.constantFrom('idle', 'ringing', 'in-call' as const),
          since: iso,
        }),
      ),
      { maxLength: 2 },
    )
    .map((entries) => new Map(entries));
  const layout = fc.array(fc.record({ led: fc.integer({ min: 0, max: 24 }), role }), { maxLength: 16 });
  const all: fc.Arbitrary<LedInputs> = fc.record({
    presence,
    mwi,
    voicemail: fc.nat(5),
    queues,
    lines,
    link: fc.constantFrom<LinkStatus>('online', 'connecting', 'offline'),
    now: iso.map((s) => new Date(s)),
    policy: fc.constantFrom(DEFAULT_POLICY, {
      ...DEFAULT_POLICY,
      callback: 'same-day' as const,
      timeZone: 'Europe/Copenhagen',
    }),
    layout,
    ledCount: fc.integer({ min: 0, max: 20 }),
  });
  const valid = (frame: LedFrame, count: number) => {
    expect(frame).toHaveLength(count);
    for (const led of frame) expect(['off', 'on', 'slow', 'fast']).toContain(led.pattern);
  };

  it('render never throws and returns ledCount entries', () => {
    fc.assert(fc.property(all, (i) => valid(render(i), i.ledCount)));
  });

  it('nothing changes before nextFrameChange (so one timer suffices), and with none, nothing ever does', () => {
    fc.assert(
      fc.property(all, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (i, fraction) => {
        const next = nextFrameChange(i);
        const horizon = next ? next.getTime() : i.now.getTime() + 30 * 86_400_000;
        if (next) expect(next.getTime()).toBeGreaterThan(i.now.getTime());
        const between = new Date(i.now.getTime() + Math.floor((horizon - i.now.getTime()) * fraction));
        expect(render({ ...i, now: between })).toEqual(render(i));
      }),
      { numRuns: 1000 },
    );
  });
});
