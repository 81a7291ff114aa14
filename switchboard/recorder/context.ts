// What the recorder's features share: the session's bus they hear, the store, the batch they add
// events to, this run's recording session in the store, and the one rollup runner. Features say which
// kinds they hear; the recorder subscribes to exactly those.
import type { EventBus } from '../../events/bus.js';
import type { Feature } from '../../events/feature.js';
import type { Logger } from '../../log/logger.js';
import type { Kind } from '../../protocol/index.js';
import type { SessionEvents } from '../../session/contract-session.js';
import type { EventBatch } from './event-batch.js';
import type { RecorderOptions } from './options.js';
import type { RollupRunner } from './rollup.js';
import type { Storage } from './storage/port.js';

export interface RecorderContext {
  readonly bus: EventBus<SessionEvents>;
  readonly storage: Storage;
  readonly options: RecorderOptions;
  readonly log: Logger;
  readonly now: () => number;
  /** receipt order (recorded-events.ts `createOrdClock`): one clock for every event of this run */
  readonly ord: () => number;
  /** this run's session id in the store: its up and down bound the time it measured */
  readonly recording: string;
  readonly batch: EventBatch;
  readonly rollups: RollupRunner;
}

/** A recorder feature, and the message kinds it hears (subscribed in the recorded organisations). */
export interface RecorderFeature extends Feature {
  readonly kinds?: readonly Kind[];
}
