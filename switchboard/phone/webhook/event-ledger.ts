// What the webhook adapter remembers of the events it applied, across restarts: each event id for
// twice the replay window (a signed request can come back within the window, a vendor's retry a little
// later), and per queue and per extension the `at` of the newest event applied, so that an older
// snapshot or voicemail count (a retry overtaken by a newer event, a captured request) never wins.
// Kept in a small JSON file, replaced atomically before the event is acknowledged.
import { z } from 'zod';
import { writeFileAtomically } from '../../../config/atomic-file.js';
import { readStateFile } from '../../../config/state-file.js';

/** An event as the ledger sees it: `state` names the queue or extension whose value it sets, if any. */
export interface LedgerEvent {
  id: string;
  /** the event's own time (epoch ms), from its body */
  at: number;
  state?: { kind: 'queues' | 'voicemail'; key: string };
}

export type LedgerVerdict = 'new' | 'duplicate' | 'superseded';

const LedgerFile = z.object({
  v: z.literal(1),
  /** event id → when it was applied (our clock, epoch ms) */
  seen: z.record(z.string(), z.number()),
  /** queue id → `at` of the newest snapshot applied */
  queues: z.record(z.string(), z.number()),
  /** extension → `at` of the newest voicemail count applied */
  voicemail: z.record(z.string(), z.number()),
});

export interface EventLedger {
  judge(event: LedgerEvent): LedgerVerdict;
  /** Records an applied event, on disk first: throws (and remembers nothing) when it cannot be saved. */
  record(event: LedgerEvent): void;
}

/**
 * Opens the ledger in `file` (none: kept in memory only). A missing file is an empty ledger; one that is
 * not a ledger throws, naming the file: replay protection is not silently dropped.
 */
export function openEventLedger(options: { file?: string; keepMs: number; now: () => number }): EventLedger {
  const { file, keepMs, now } = options;
  const loaded = file ? load(file) : undefined;
  const seen = new Map(Object.entries(loaded?.seen ?? {}).sort(([, a], [, b]) => a - b));
  const applied = {
    queues: new Map(Object.entries(loaded?.queues ?? {})),
    voicemail: new Map(Object.entries(loaded?.voicemail ?? {})),
  };

  const prune = () => {
    for (const [id, at] of seen) {
      if (now() - at <= keepMs) break; // in the order seen: the rest are newer
      seen.delete(id);
    }
  };
  prune();

  return {
    judge(event) {
      if (seen.has(event.id)) return 'duplicate';
      const last = event.state && applied[event.state.kind].get(event.state.key);
      return last !== undefined && event.at < last ? 'superseded' : 'new';
    },
    record(event) {
      if (file) {
        const state = event.state;
        const newer = (kind: 'queues' | 'voicemail') => {
          const entries = Object.fromEntries(applied[kind]);
          if (state?.kind === kind) entries[state.key] = event.at;
          return entries;
        };
        const text = JSON.stringify({
          v: 1,
          seen: { ...Object.fromEntries(seen), [event.id]: now() },
          queues: newer('queues'),
          voicemail: newer('voicemail'),
        } satisfies LedgerFile);
        writeFileAtomically(file, `${text}\n`);
      }
      seen.set(event.id, now());
      if (event.state) applied[event.state.kind].set(event.state.key, event.at);
      prune();
    },
  };
}

type LedgerFile = z.infer<typeof LedgerFile>;

function load(file: string): LedgerFile | undefined {
  return readStateFile(file, LedgerFile, "the webhook's event ledger");
}
