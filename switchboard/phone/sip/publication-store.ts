// The entity tag (RFC 3903 SIP-ETag) and expiry of each publication the PBX holds for us, kept across a
// bridge restart in a small state file (atomic-file.ts). Without it a restarted bridge, or one that
// forgot the tags when the link dropped, published each referral again as new, and the PBX kept the
// old copy beside it until it expired: a phone subscribing afresh saw "Lunch, tillbaka 09:32" for
// someone who had reopened (issue 22).
import { z } from 'zod';
import { writeFileAtomically } from '../../../config/atomic-file.js';
import { readStateFile } from '../../../config/state-file.js';

export interface Held {
  etag: string;
  /** when the PBX drops it unless refreshed (epoch ms, our clock) */
  expiresAt: number;
}

const StoreFile = z.object({
  v: z.literal(1),
  /** extension → the publication the PBX holds for it */
  publications: z.record(z.string(), z.object({ etag: z.string().min(1), expiresAt: z.number() })),
});

export interface PublicationStore {
  /** the publications held when the bridge started, expired ones left out */
  readonly loaded: ReadonlyMap<string, Held>;
  /**
   * Records what the PBX holds now for an extension (undefined: nothing). Written once for all the
   * answers of one turn of the event loop: after a reconnect a thousand refreshes answer together, and a
   * thousand rewrites with fsync of the whole file would stall the bridge for seconds.
   */
  save(ext: string, held: Held | undefined): void;
  /** writes what is pending now (the adapter's close) */
  flush(): void;
}

/** The store in `file` (none: in memory only, for tests of the adapter alone). */
export function openPublicationStore(file: string | undefined, now: () => number): PublicationStore {
  const read = file ? readStateFile(file, StoreFile, "the SIP adapter's publication state") : undefined;
  const held = new Map(Object.entries(read?.publications ?? {}).filter(([, h]) => h.expiresAt > now()));
  let pending: NodeJS.Immediate | undefined;
  const flush = () => {
    if (!pending) return;
    clearImmediate(pending);
    pending = undefined;
    if (!file) return;
    const text = JSON.stringify({ v: 1, publications: Object.fromEntries(held) } satisfies z.infer<
      typeof StoreFile
    >);
    writeFileAtomically(file, `${text}\n`);
  };
  return {
    loaded: new Map(held),
    save(ext, value) {
      if (value) held.set(ext, value);
      else if (!held.delete(ext)) return;
      pending ??= setImmediate(flush);
    },
    flush,
  };
}
