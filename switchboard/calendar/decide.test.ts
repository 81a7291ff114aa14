import { describe, expect, it } from 'vitest';
import { type Actor, DEFAULT_REASONS, type Presence, supersedes } from '../../protocol/index.js';
import type { Block } from './absence.js';
import { type DecideContext, decide, manualHoldUntil } from './decide.js';

const CAL: Actor = { kind: 'calendar', id: 'calendar' };
const DESK: Actor = { kind: 'desk', id: 'desk-1' };
const t = (hhmm: string) => new Date(`2026-12-02T${hhmm}:00.000Z`);
const ms = (hhmm: string) => t(hhmm).getTime();
const ctx = (hhmm: string): DecideContext => ({
  now: t(hhmm),
  actor: CAL,
  reasons: DEFAULT_REASONS,
  privateReason: 'out',
});
const block = (from: string, to: string, ...members: [string, string, string, boolean?][]): Block => ({
  start: ms(from),
  end: ms(to),
  members: members.map(([s, e, reason, priv]) => ({
    start: ms(s),
    end: ms(e),
    reason,
    private: priv ?? false,
  })),
});
const presence = (p: Partial<Presence> & Pick<Presence, 'by' | 'at'>): Presence => ({
  v: 1,
  status: 'available',
  reason: null,
  since: p.at,
  until: null,
  alt: null,
  seq: 3,
  ...p,
});
// 09:00-10:00 meeting, lunch 10:00-11:00: one absence until 11:00
const morning = [block('09:00', '11:00', ['09:00', '10:00', 'meeting'], ['10:00', '11:00', 'lunch'])];

describe('what the calendar writes', () => {
  it('sets the total absence when the first entry starts, with the entry in progress as reason', () => {
    const before = presence({ by: DESK, at: '2026-12-01T16:00:00.000Z' });
    const d = decide(before, morning, ctx('09:00'));
    expect(d.publish).toMatchObject({
      status: 'away',
      reason: 'meeting',
      until: '2026-12-02T11:00:00.000Z',
      seq: 4,
      by: CAL,
    });
    expect(d.wake).toEqual(t('10:00'));
    const lunch = decide(d.publish ?? null, morning, ctx('10:00')).publish;
    // the end time stays; the reason follows the entry in progress
    expect(lunch).toMatchObject({ reason: 'lunch', until: '2026-12-02T11:00:00.000Z', seq: 5 });
    expect(lunch?.since).toBe(d.publish?.since);
  });

  it('reopens at the end of its own absence, and only its own', () => {
    const own = presence({
      by: CAL,
      at: '2026-12-02T10:00:00.000Z',
      status: 'away',
      reason: 'lunch',
      until: '2026-12-02T11:00:00.000Z',
    });
    expect(decide(own, morning, ctx('11:00')).publish).toMatchObject({ status: 'available', seq: 4 });
    const desks = { ...own, by: DESK };
    expect(decide(desks, morning, ctx('11:00')).publish).toBeUndefined();
  });

  it('a cancelled entry ends the referral it set', () => {
    const own = presence({
      by: CAL,
      at: '2026-12-02T09:00:00.000Z',
      status: 'away',
      reason: 'meeting',
      until: '2026-12-02T11:00:00.000Z',
    });
    expect(decide(own, [], ctx('09:30')).publish).toMatchObject({ status: 'available' });
  });

  it('writes nothing when the presence already says it', () => {
    const own = presence({
      by: CAL,
      at: '2026-12-02T09:00:00.000Z',
      status: 'away',
      reason: 'meeting',
      until: '2026-12-02T11:00:00.000Z',
    });
    expect(decide(own, morning, ctx('09:30')).publish).toBeUndefined();
  });

  it('shows a private entry as the private reason, and a reason the org lacks as nothing', () => {
    const priv = [block('12:00', '13:00', ['12:00', '13:00', 'meeting', true])];
    expect(decide(null, priv, ctx('12:00')).publish).toMatchObject({ reason: 'out', seq: 0 });
    const unknown = [block('12:00', '13:00', ['12:00', '13:00', 'yoga'])];
    expect(decide(null, unknown, ctx('12:00')).publish).toBeUndefined();
  });
});

describe('never over a change by hand', () => {
  it('reopened early by the key: holds until the total absence ends, then the next entry applies', () => {
    const blocks = [...morning, block('14:00', '15:00', ['14:00', '15:00', 'meeting'])];
    const reopened = presence({ by: DESK, at: '2026-12-02T09:20:00.000Z', seq: 5 });
    expect(manualHoldUntil(reopened, blocks)).toBe(ms('11:00'));
    expect(decide(reopened, blocks, ctx('10:00'))).toEqual({ wake: t('11:00') });
    // the lunch entry starting at 10:00 is part of the same absence: still no write
    expect(decide(reopened, blocks, ctx('10:59')).publish).toBeUndefined();
    expect(decide(reopened, blocks, ctx('11:00')).publish).toBeUndefined(); // no entry: nothing to say
    expect(decide(reopened, blocks, ctx('14:00')).publish).toMatchObject({ reason: 'meeting', seq: 6 });
  });

  it('an operator sets sick until further notice: the calendar stays away from it', () => {
    const sick = presence({
      by: { kind: 'operator', id: 'op' },
      at: '2026-12-02T07:00:00.000Z',
      status: 'away',
      reason: 'sick',
      until: null,
    });
    expect(decide(sick, morning, ctx('09:00'))).toEqual({});
  });

  it('a desk referral that outlasts an entry holds until its own end', () => {
    const trip = presence({
      by: DESK,
      at: '2026-12-02T08:00:00.000Z',
      status: 'away',
      reason: 'trip',
      until: '2026-12-02T13:00:00.000Z',
    });
    expect(decide(trip, morning, ctx('09:00')).publish).toBeUndefined();
    expect(
      decide(trip, [block('13:00', '14:00', ['13:00', '14:00', 'meeting'])], ctx('13:00')).publish,
    ).toMatchObject({
      reason: 'meeting',
    });
  });

  it('a calendar change racing a reopen by the key: the key wins, also on an equal seq', () => {
    const own = presence({
      by: CAL,
      at: '2026-12-02T09:00:00.000Z',
      status: 'away',
      reason: 'meeting',
      until: '2026-12-02T11:00:00.000Z',
      seq: 4,
    });
    // the feed now says the meeting runs to 12:00; at the same moment the person pressed Open (seq 5)
    const longer = [block('09:00', '12:00', ['09:00', '12:00', 'meeting'])];
    const calendarWrite = decide(own, longer, ctx('09:30')).publish;
    const keyWrite = presence({ by: DESK, at: '2026-12-02T09:30:00.000Z', seq: 5 });
    expect(calendarWrite?.seq).toBe(5);
    if (!calendarWrite) throw new Error('no write');
    // every consumer keeps the key's change, whichever arrives first
    expect(supersedes(keyWrite, calendarWrite)).toBe(true);
    expect(supersedes(calendarWrite, keyWrite)).toBe(false);
    // and the bridge, having seen it, leaves it alone until the changed entry's end
    expect(decide(keyWrite, longer, ctx('09:31'))).toEqual({ wake: t('12:00') });
  });
});
