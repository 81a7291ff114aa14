// The event ids a feature has published, to drop a duplicate the phone system sends again (QoS 1 at
// its end, a retried webhook, a re-read dialog state). Bounded: the oldest are forgotten first.
import { setBounded } from '../../bounded-map.js';

export interface SeenIds {
  /** true the first time an id is offered, false for a repeat */
  first(id: string): boolean;
}

export function seenIds(limit: number): SeenIds {
  const seen = new Map<string, true>();
  return {
    first(id) {
      if (seen.has(id)) return false;
      setBounded(seen, id, true, limit);
      return true;
    },
  };
}
