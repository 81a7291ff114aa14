// Sorted-order helpers shared by the list's order (list.ts) and a first snapshot's first screen
// (data.ts): a binary search and a bounded selection, by any comparison.

/** Where `item` goes in the sorted `items`, after any equal to it (binary search). */
export function sortedIndex<T>(items: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid] as T, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first n items in order, in one pass (a bounded insertion), without sorting them all. */
export function firstInOrder<T>(items: Iterable<T>, n: number, compare: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  for (const item of items) {
    if (top.length === n && compare(item, top[n - 1] as T) >= 0) continue;
    top.splice(sortedIndex(top, item, compare), 0, item);
    if (top.length > n) top.pop();
  }
  return top;
}
