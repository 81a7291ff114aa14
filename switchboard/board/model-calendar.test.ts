import { describe, expect, it } from 'vitest';
import type { CalendarStatus, Message } from '../../protocol/index.js';
import { feed } from '../../test/support/board-feed.js';
import { BoardModel, type Delta } from './model.js';
import { createRedaction, unpackRows } from './wire.js';

const ORG = 'arjeplog';
const status = (body: CalendarStatus | null): Message => ({
  kind: 'calendar-status',
  org: ORG,
  ext: '2101',
  body,
});
const failing: CalendarStatus = {
  v: 1,
  ok: false,
  at: '2026-12-02T10:05:00.000Z',
  lastGood: '2026-12-02T09:55:00.000Z',
  failures: 2,
  error: 'HTTP 404 Not Found',
};

describe('calendar feed status on the board', () => {
  it('marks the row while the calendar fails, and clears the mark when it is read again', () => {
    const model = new BoardModel();
    const deltas: Delta[] = [];
    model.listen((d) => deltas.push(d));
    // a working calendar for someone unknown is nothing to show
    expect(feed(model, status({ ...failing, ok: true, failures: 0, error: undefined }))).toBe(false);
    expect(feed(model, status(failing))).toBe(true);
    expect(model.row(ORG, '2101')?.calendar).toEqual({
      error: 'HTTP 404 Not Found',
      lastGood: '2026-12-02T09:55:00.000Z',
    });
    // the same failure again (another poll) changes nothing the board shows
    expect(feed(model, status({ ...failing, failures: 3, at: '2026-12-02T10:10:00.000Z' }))).toBe(false);
    expect(feed(model, status({ ...failing, ok: true, failures: 0, error: undefined }))).toBe(true);
    expect(model.row(ORG, '2101')).toBeUndefined(); // nothing else was known of 2101
    expect(deltas.map((d) => d.type)).toEqual(['row', 'row-removed']);
  });

  it('travels in the snapshot', () => {
    const model = new BoardModel();
    feed(model, status(failing));
    const operator = { role: 'operator', orgs: '*' } as const;
    const snapshot = createRedaction(model, undefined).snapshot(undefined, operator as never, true);
    expect(unpackRows(snapshot)[0]?.calendar).toEqual({
      error: 'HTTP 404 Not Found',
      lastGood: '2026-12-02T09:55:00.000Z',
    });
  });

  it("carries the person's next absence from a working feed; a viewer sees a private reason only as away", () => {
    const model = new BoardModel();
    const deltas: Delta[] = [];
    model.listen((d) => deltas.push(d));
    const next = { from: '2026-12-02T13:00:00.000Z', to: '2026-12-02T14:30:00.000Z', reason: 'meeting' };
    const working: CalendarStatus = { ...failing, ok: true, failures: 0, error: undefined, next };
    expect(feed(model, status(working))).toBe(true);
    expect(model.row(ORG, '2101')).toMatchObject({ calendar: null, nextAbsence: next });
    // another poll saying the same changes nothing the board shows
    expect(feed(model, status({ ...working, at: '2026-12-02T10:10:00.000Z' }))).toBe(false);

    const redaction = createRedaction(model, undefined);
    const row = model.row(ORG, '2101');
    if (!row) throw new Error('no row');
    const viewer = { role: 'viewer', orgs: '*' } as const;
    expect(redaction.row(row, viewer as never).nextAbsence).toEqual(next);
    feed(model, status({ ...working, next: { ...next, reason: 'sick' } }));
    const sick = model.row(ORG, '2101');
    if (!sick) throw new Error('no row');
    expect(redaction.row(sick, viewer as never).nextAbsence).toEqual({ ...next, reason: 'away' });
    expect(redaction.row(sick, { role: 'operator', orgs: '*' } as never).nextAbsence?.reason).toBe('sick');

    // none any more: the row had nothing else, so it goes
    expect(feed(model, status({ ...working, next: undefined }))).toBe(true);
    expect(model.row(ORG, '2101')).toBeUndefined();
    expect(deltas.map((d) => d.type)).toEqual(['row', 'row', 'row-removed']);
  });
});
