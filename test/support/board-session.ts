// The board's view of the broker without its HTTP side: its contract session with the model feature
// only, for tests that watch the model (a desk's key press reaching it, an import, TLS, another broker).
import type { ContractSession } from '../../session/contract-session.js';
import { modelFeature } from '../../switchboard/board/features/model.js';
import type { BoardModel } from '../../switchboard/board/model.js';
import { type BoardSessionOptions, boardSession } from '../../switchboard/board/session.js';

/** Started (connecting): `ready` resolves once subscribed, `close()` ends it. */
export async function startModelSession(
  options: BoardSessionOptions & { model: BoardModel },
): Promise<ContractSession> {
  const session = boardSession(options);
  await session.start([modelFeature(session, options.model)]);
  return session;
}
