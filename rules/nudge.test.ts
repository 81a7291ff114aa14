// The nudge before the return time (Grästorp/Essunga: "om frånvarotiden inte går att hålla, gör en
// förlängning omedelbart"): examples, and properties over any referral.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presence, timeZone } from '../test/support/arbitraries.js';
import { at, MON_0905, plus, press, reason, start } from '../test/support/referral-fixture.js';
import { isNudging, nudgeAt } from './nudge.js';
import { DEFAULT_POLICY } from './policy.js';
import { localDate } from './time.js';

const policy = DEFAULT_POLICY;

describe('the nudge', () => {
  const lunch = press(start, reason('lunch'), MON_0905); // 09:05 → 09:50 local

  it('starts five minutes (the default lead) before a same-day return time', () => {
    expect(nudgeAt(lunch, policy)?.toISOString()).toBe('2026-05-04T07:45:00.000Z');
    expect(isNudging(lunch, at('2026-05-04T07:44:59Z'), policy)).toBe(false);
    expect(isNudging(lunch, at('2026-05-04T07:45:00Z'), policy)).toBe(true);
    // at the return time it is overdue, a state of its own
    expect(isNudging(lunch, at('2026-05-04T07:50:00Z'), policy)).toBe(false);
  });

  it('follows the organisation lead, and 0 turns it off', () => {
    expect(nudgeAt(lunch, { ...policy, nudgeMinutes: 10 })?.toISOString()).toBe('2026-05-04T07:40:00.000Z');
    expect(nudgeAt(lunch, { ...policy, nudgeMinutes: 0 })).toBeUndefined();
  });

  it('never for until further notice, a multi-day absence, or one no longer than the lead', () => {
    expect(nudgeAt({ ...lunch, until: null }, policy)).toBeUndefined();
    // sick: back the next working day
    expect(nudgeAt(press(start, reason('sick'), MON_0905), policy)).toBeUndefined();
    const short = { ...lunch, until: plus(MON_0905, 5).toISOString() };
    expect(nudgeAt(short, policy)).toBeUndefined();
  });

  it('extending while nudged ends the nudge (the org step is longer than the lead)', () => {
    const now = at('2026-05-04T07:46:00Z');
    expect(isNudging(lunch, now, policy)).toBe(true);
    expect(isNudging(press(lunch, { type: 'extend', minutes: policy.stepMinutes }, now), now, policy)).toBe(
      false,
    );
  });

  it('properties: only away with a same-day return time, the lead before it, after since', () => {
    fc.assert(
      fc.property(presence, timeZone, fc.integer({ min: 0, max: 60 }), (p, tz, lead) => {
        const rule = { timeZone: tz, nudgeMinutes: lead };
        const t = nudgeAt(p, rule);
        if (t === undefined) return;
        expect(p.status).toBe('away');
        expect(p.until).not.toBeNull();
        const until = Date.parse(p.until as string);
        expect(until - t.getTime()).toBe(lead * 60_000);
        expect(t.getTime()).toBeGreaterThan(Date.parse(p.since));
        expect(localDate(new Date(p.since), tz)).toBe(localDate(new Date(until), tz));
        // nudging exactly on [t, until)
        expect(isNudging(p, t, rule)).toBe(true);
        expect(isNudging(p, new Date(t.getTime() - 1), rule)).toBe(false);
        expect(isNudging(p, new Date(until), rule)).toBe(false);
      }),
    );
  });

  it('property: never nudging while available, until further notice, or with no lead', () => {
    fc.assert(
      fc.property(presence, timeZone, fc.date({ noInvalidDate: true }), (p, tz, now) => {
        if (p.status === 'available' || p.until === null)
          expect(isNudging(p, now, { timeZone: tz, nudgeMinutes: 5 })).toBe(false);
        expect(isNudging(p, now, { timeZone: tz, nudgeMinutes: 0 })).toBe(false);
      }),
    );
  });

  it('property: extending by a step longer than the lead while nudged ends it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 6, max: 120 }), (before, step) => {
        const now = new Date(Date.parse(lunch.until as string) - before * 60_000 - 1000);
        expect(isNudging(lunch, now, policy)).toBe(true);
        const extended = press(lunch, { type: 'extend', minutes: step }, now);
        expect(isNudging(extended, now, policy)).toBe(false);
      }),
    );
  });
});
