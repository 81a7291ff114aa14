// The journal feature: whenever presence, pending or the device config changes, the desk writes them
// to its journal file, so a restart (or a power cut) starts from what the desk last knew.

import { type Feature, listening } from '../../../events/feature.js';
import type { AgentContext } from '../context.js';
import { writeJournal } from '../journal.js';

export function journalFeature(ctx: AgentContext): Feature {
  const { desk, sync } = ctx;
  return listening(ctx.bus, {
    persist: () => {
      try {
        writeJournal(ctx.config.journalPath, {
          v: 1,
          ext: desk.settings.ext,
          presence: sync.presence ?? null,
          pending: sync.pending,
          ...(desk.lastConfig ? { deviceConfig: desk.lastConfig } : {}),
        });
      } catch (e) {
        // The desk keeps working from memory; the next change tries again.
        ctx.log.error('journal write failed', { error: (e as Error).message });
      }
    },
  });
}
