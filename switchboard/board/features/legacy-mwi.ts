// The old phone messages feature: a board before issue 12 kept a person's messages in one mwi/{ext}
// value; hearing one that still holds messages, the board moves them onto a topic each (writes.ts).
import { type Feature, listening } from '../../../events/feature.js';
import { createLogger } from '../../../log/logger.js';
import type { ContractSession } from '../../../session/contract-session.js';
import type { Writes } from '../writes.js';

const log = createLogger('board');

export function legacyMwiFeature(session: ContractSession, writes: Writes): Feature {
  return listening(session.bus, {
    mwi: ({ message: { org, ext, body } }) => {
      // a board's copy for old desks (mwi-copy.ts) is not an old value: converting it would undo handled ones
      if (!body?.messages.length || body.copy) return;
      writes
        .convertLegacy(org, ext, body)
        .catch((e: unknown) =>
          log.warn('could not convert an old mwi value', { error: (e as Error).message }),
        );
    },
  });
}
