// The desk's "handled" key: the boards are the authority for phone messages, so a desk asks them
// (mwi-handled) to drop one, and the board clears it as if an operator had (writes.ts).
import { type Feature, listening } from '../../../events/feature.js';
import { createLogger } from '../../../log/logger.js';
import type { ContractSession } from '../../../session/contract-session.js';
import type { Writes } from '../writes.js';

const log = createLogger('board');

export function deskHandledFeature(session: ContractSession, writes: Writes): Feature {
  return listening(session.bus, {
    'mwi-handled': ({ message: { org, ext, body } }) => {
      writes.markHandled(org, ext, body.id).then(
        (done) => done && log.info('message handled from the desk', { org, ext, by: body.by.id }),
        (e: unknown) => log.warn('could not mark a message handled', { error: (e as Error).message }),
      );
    },
  });
}
