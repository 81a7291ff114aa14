// The journal extension: whenever presence, pending or the device config changes, the desk writes them
// to its journal file, so a restart (or a power cut) starts from what the desk last knew.
import type { AgentContext } from '../context.js';
import { writeJournal } from '../journal.js';
import { type AgentExtension, listening } from './extension.js';

export function journalExtension(ctx: AgentContext): AgentExtension {
  const { desk, sync } = ctx;
  return listening(ctx, {
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
