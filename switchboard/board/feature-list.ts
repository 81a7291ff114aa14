// The board's features in the order they hear each event: the one list (docs/board.md) that startBoard
// (server.ts) hands its contract session, kept apart from the HTTP side of the server.
import type { Feature } from '../../events/feature.js';
import type { ContractSession } from '../../session/contract-session.js';
import type { DurableWrites } from './durable-writes.js';
import { brokerStatusFeature } from './features/broker-status.js';
import { deskHandledFeature } from './features/desk-handled.js';
import { durableStoreFeature } from './features/durable-store.js';
import { legacyMwiFeature } from './features/legacy-mwi.js';
import { modelFeature } from './features/model.js';
import { mwiCopyFeature } from './features/mwi-copy.js';
import type { RevocationsFeature } from './features/revocations.js';
import type { ServiceLevels } from './features/service-levels.js';
import type { BoardModel } from './model.js';
import type { StreamHub } from './streams.js';
import type { Writes } from './writes.js';

/**
 * The board's features, in the order they hear each event: the model first, so every other feature
 * sees a message applied (the session emits `message` before the message's kind, so the features
 * that hear one kind come after the model too). A new feature is one entry here (docs/board.md).
 */
export function features(
  session: ContractSession,
  model: BoardModel,
  store: DurableWrites | undefined,
  writes: Writes,
  streams: StreamHub,
  logouts: RevocationsFeature | undefined,
  mwiCopy: boolean,
  levels: ServiceLevels,
): Feature[] {
  return [
    modelFeature(session, model),
    levels,
    ...(store ? [durableStoreFeature(session, store, model)] : []),
    legacyMwiFeature(session, writes),
    ...(mwiCopy ? [mwiCopyFeature(session, model)] : []),
    deskHandledFeature(session, writes),
    brokerStatusFeature(session, streams),
    ...(logouts ? [logouts] : []),
  ];
}
