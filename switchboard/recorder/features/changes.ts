// Hears every recorded kind (recorded-events.ts: presence, desks, messages, queues, the directory) and
// adds one event per change to the batch; a repeat of its topic's last value (the retained state on a
// reconnect, a QoS 1 duplicate) is counted and dropped. While the broker is away nothing is seen.
import type { Handlers } from '../../../events/bus.js';
import { listening } from '../../../events/feature.js';
import type { Received, SessionEvents } from '../../../session/contract-session.js';
import type { RecorderContext, RecorderFeature } from '../context.js';
import { EventKeys, RECORDED_KINDS } from '../recorded-events.js';

export function changesFeature(ctx: RecorderContext): RecorderFeature {
  const keys = new EventKeys(ctx.recording);
  const record = ({ topic, message }: Received) => ctx.batch.add(keys.toEvent(topic, message, ctx.ord()));
  const handlers: Handlers<SessionEvents> = {
    ...Object.fromEntries(RECORDED_KINDS.map((kind) => [kind, record])),
    status: (status) => {
      if (status === 'offline') ctx.log.warn('broker unreachable: nothing is recorded until it is back');
    },
  };
  return { ...listening(ctx.bus, handlers), kinds: RECORDED_KINDS };
}
