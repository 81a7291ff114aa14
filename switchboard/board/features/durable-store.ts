// The board's own writes kept on disk (durable-writes.ts) against the broker. What the board hears may
// end its claim on one (a message handled on another board, a newer referral). On every subscription
// it republishes the rest, as the desks do their presences, so a broker restarted without its store
// has them again; the model shows them from the start, while the broker may have nothing yet.
import { type Feature, listening } from '../../../events/feature.js';
import { createLogger } from '../../../log/logger.js';
import type { ContractSession } from '../../../session/contract-session.js';
import type { DurableWrites } from '../durable-writes.js';
import type { BoardModel } from '../model.js';

const log = createLogger('board-store');

export function durableStoreFeature(
  session: ContractSession,
  store: DurableWrites,
  model: BoardModel,
): Feature {
  const republish = () => {
    const messages = store.messages();
    for (const message of messages)
      session.publish(message).catch((e: unknown) => {
        // the next subscription tries again
        log.warn('republish failed', { kind: message.kind, error: (e as Error).message });
      });
    if (messages.length) log.info("republished the board's own writes", { count: messages.length });
  };
  const listener = listening(session.bus, {
    message: ({ topic, message }) => store.heard(topic, message),
    subscribed: republish,
  });
  return {
    start() {
      for (const message of store.messages()) model.apply(message);
      listener.start();
    },
    stop: () => listener.stop(),
  };
}
