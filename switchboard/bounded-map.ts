// A Map that forgets its oldest entries past a limit, for what a long-running service remembers
// without growing: event ids already published, calls already routed, undo records.

/** Sets `key` as the newest entry (a Map iterates in insertion order) and drops the oldest past `limit`. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as K);
}
