import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueAlarmAt, queueAlarmSeconds } from './queue-threshold.js';

const seconds = fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined });

describe('the queue threshold (Guldborgsund: answer within 4 rings, about 20 s)', () => {
  it("property: the queue's own alarmSeconds, else the organisation's, else 20 s", () => {
    fc.assert(
      fc.property(seconds, seconds, (own, org) => {
        expect(queueAlarmSeconds({ alarmSeconds: own }, { queueAlarmSeconds: org })).toBe(own ?? org ?? 20);
      }),
    );
    expect(queueAlarmSeconds(undefined, null)).toBe(20);
  });

  it('property: a queue is late exactly that long after its oldest call entered; never when empty or stale', () => {
    fc.assert(
      fc.property(seconds, seconds, fc.integer({ min: 0, max: 2e12 }), (own, org, since) => {
        const q = { waiting: 2, oldestSince: new Date(since).toISOString(), alarmSeconds: own };
        const limit = queueAlarmSeconds(q, { queueAlarmSeconds: org });
        expect(queueAlarmAt(q, { queueAlarmSeconds: org })).toBe(since + limit * 1000);
        expect(queueAlarmAt({ ...q, waiting: 0 }, null)).toBeUndefined();
        expect(queueAlarmAt({ ...q, stale: true }, null)).toBeUndefined();
        expect(queueAlarmAt({ ...q, oldestSince: null }, null)).toBeUndefined();
      }),
    );
  });
});
