// The model feature, first in the board's list: every message the contract took is applied to the
// board's model, so the features after it see the board already changed. It takes all kinds, so it
// listens to `message` once rather than to each kind (the cold start runs 100,000 of these).
import { type Feature, listening } from '../../../events/feature.js';
import type { ContractSession } from '../../../session/contract-session.js';
import type { BoardModel } from '../model.js';

export function modelFeature(session: ContractSession, model: BoardModel): Feature {
  return listening(session.bus, {
    message: ({ message }) => {
      model.apply(message);
    },
  });
}
