// queue/{queueId}: the phone system's snapshots with the queue lamp's threshold, the last known value
// marked stale (not zero) while the phone system is down, and all of them again on every connect.
// After a restart the bridge's own retained values seed the queues it has not heard of yet, so they
// can be marked stale if the phone system stays away.
import type { Feature } from '../../../events/feature.js';
import type { Queue } from '../../../protocol/index.js';
import { type BridgeContext, hearing, iso, phoneDown, publish } from '../bridge-context.js';
import type { QueueSnapshot } from '../port.js';

/** the queue lamp's alarm threshold per queue, and for the organisation's other queues */
export interface AlarmSeconds {
  default?: number;
  queues?: Record<string, number>;
}

export function queuesFeature(ctx: BridgeContext, alarmSeconds: AlarmSeconds | undefined): Feature {
  const { org } = ctx;
  const queues = new Map<string, Queue>();
  const say = (queueId: string) => {
    const body = queues.get(queueId);
    if (body) publish(ctx, { kind: 'queue', org, queueId, body });
  };
  const sayAll = () => {
    for (const queueId of queues.keys()) say(queueId);
  };
  const fromSnapshot = (s: QueueSnapshot): Queue => {
    const alarm = alarmSeconds?.queues?.[s.queueId] ?? alarmSeconds?.default;
    return {
      v: 1,
      ...(s.name !== undefined ? { name: s.name } : {}),
      waiting: s.waiting,
      oldestSince: s.oldestSince === null ? null : iso(s.oldestSince),
      at: iso(ctx.now()),
      ...(alarm !== undefined ? { alarmSeconds: alarm } : {}),
      ...(s.calls ? { calls: s.calls } : {}),
    };
  };

  return hearing(ctx, {
    broker: {
      subscribed: sayAll,
      queue: ({ message: m }) => {
        if (!m.body || queues.has(m.queueId)) return;
        const down = phoneDown(ctx);
        queues.set(m.queueId, down ? { ...m.body, stale: true } : m.body);
        if (down) say(m.queueId);
      },
    },
    phone: {
      snapshot: (s) => {
        queues.set(s.queueId, fromSnapshot(s));
        say(s.queueId);
      },
      // back up: the phone system's fresh values replace the stale ones as they arrive
      linkChanged: ({ up }) => {
        if (up) return;
        for (const [queueId, body] of queues) queues.set(queueId, { ...body, stale: true });
        sayAll();
      },
    },
  });
}
