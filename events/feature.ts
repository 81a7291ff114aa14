// A feature is one job of a long-running service (the desk agent, the board, a bridge): it hangs on the
// service's bus in `start` and lets go in `stop` (zigbee2mqtt's shape). A service lists its features
// in one place, in the order they hear each event.
import { type EventBus, type Handlers, subscribeAll } from './bus.js';

export interface Feature {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** A feature that is only handlers (most are), plus what it must do when the service stops. */
export function listening<Events extends object>(
  bus: EventBus<Events>,
  handlers: Handlers<Events>,
  stopping?: () => void | Promise<void>,
): Feature {
  let off: (() => void) | undefined;
  return {
    start() {
      off = subscribeAll(bus, handlers);
    },
    async stop() {
      off?.();
      off = undefined;
      await stopping?.();
    },
  };
}

/** Starts each feature in order; when one fails, the ones already started are stopped and it throws. */
export async function startFeatures(features: readonly Feature[]): Promise<void> {
  for (const [i, feature] of features.entries()) {
    try {
      await feature.start();
    } catch (e) {
      await stopFeatures(features.slice(0, i));
      throw e;
    }
  }
}

/** Stops the features last first: a feature may still use the ones listed before it while it stops. */
export async function stopFeatures(features: readonly Feature[]): Promise<void> {
  for (const feature of [...features].reverse()) await feature.stop();
}
