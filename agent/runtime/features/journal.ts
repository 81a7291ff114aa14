// The journal feature: whenever presence, pending or the device config changes, the desk writes them
// to its journal file, so a restart (or a power cut) starts from what the desk last knew.
//
// The write waits for the check phase of the same turn of the event loop (setImmediate): mqtt.js
// corks the socket and writes a publish at the next tick, so a journal written at once would hold a
// key press behind its two fsyncs (5 ms here, more on an SD card) before the packet leaves. Written
// in the check phase, the press is on the wire first, and several changes in one turn cost one write.
// Nothing can come between: the PUBACK and the next key press are read in a later poll phase, and
// stopping writes what is still waiting.

import { type Feature, listening } from '../../../events/feature.js';
import type { AgentContext } from '../context.js';
import { writeJournal } from '../journal.js';

export function journalFeature(ctx: AgentContext): Feature {
  const { desk, sync } = ctx;
  let waiting: NodeJS.Immediate | undefined;
  const write = () => {
    waiting = undefined;
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
  };
  return listening(
    ctx.bus,
    {
      persist: () => {
        waiting ??= setImmediate(write);
      },
    },
    () => {
      if (waiting === undefined) return;
      clearImmediate(waiting);
      write();
    },
  );
}
