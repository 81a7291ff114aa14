// The queue threshold: when a waiting call has waited too long (Guldborgsund: answer within 4 rings,
// about 20 s). One value everywhere: the queue's own `alarmSeconds` (the phone bridge's per-queue
// setting), else the organisation's `queueAlarmSeconds`, else the shared default. The desk's queue
// lamp, the board's queue chip and the statistics' "answered within" all read it here.
import type { Queue } from '../protocol/index.js';
import { DEFAULT_POLICY } from './policy.js';

/** The seconds a call may wait before its queue is late. */
export function queueAlarmSeconds(
  queue: Pick<Queue, 'alarmSeconds'> | null | undefined,
  org: { queueAlarmSeconds?: number | undefined } | null | undefined,
): number {
  return queue?.alarmSeconds ?? org?.queueAlarmSeconds ?? DEFAULT_POLICY.queueAlarmSeconds;
}

/**
 * When the queue's oldest call passes the threshold, as ms; undefined when there is nothing to wait
 * for (no calls, no oldest, or a stale snapshot whose times are not current).
 */
export function queueAlarmAt(
  queue: Pick<Queue, 'alarmSeconds' | 'waiting' | 'oldestSince' | 'stale'> | null | undefined,
  org: { queueAlarmSeconds?: number | undefined } | null | undefined,
): number | undefined {
  if (!queue || queue.stale || queue.waiting === 0 || queue.oldestSince === null) return undefined;
  return Date.parse(queue.oldestSince) + queueAlarmSeconds(queue, org) * 1000;
}
