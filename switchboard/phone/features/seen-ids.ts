// The event ids a feature has published, to drop a duplicate the phone system sends again (QoS 1 at
// its end, a retried webhook, a re-read dialog state). Bounded: the oldest are forgotten first.
export interface SeenIds {
  /** true the first time an id is offered, false for a repeat */
  first(id: string): boolean;
}

export function seenIds(limit: number): SeenIds {
  const seen = new Set<string>();
  return {
    first(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      // a Set iterates in insertion order: the first is the oldest
      if (seen.size > limit) seen.delete(seen.values().next().value as string);
      return true;
    },
  };
}
