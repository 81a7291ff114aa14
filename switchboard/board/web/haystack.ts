// The board's search texts as one string in the list's order, so that a search word is found by the
// engine's own indexOf over a few MB rather than by 50,000 calls: a word few people have costs about
// a millisecond. Built at the first search that needs it after the order or many texts changed
// (state.viewEpoch); a row whose text changed since is `stale` (its stretch of the string is out of
// date), and the search tests those rows again by themselves (search.ts).
import { state } from './state.js';

export interface Haystack {
  epoch: number;
  order: readonly string[];
  text: string;
  /** where each row's text starts (and, last, the end) */
  starts: Int32Array;
  stale: Set<string>;
}

let hay: Haystack | null = null;
/** beyond this many changed rows the string is built again rather than patched by re-tests */
const MAX_STALE = 2_000;

export function haystack(): Haystack {
  if (hay && hay.epoch === state.viewEpoch && hay.order === state.order && hay.stale.size <= MAX_STALE)
    return hay;
  const order = state.order;
  const starts = new Int32Array(order.length + 1);
  const texts = new Array<string>(order.length);
  let at = 0;
  for (let i = 0; i < order.length; i++) {
    // search words hold no white space, so "\n" between rows keeps a word within one row
    const text = state.search.get(order[i] as string) ?? '';
    texts[i] = text;
    starts[i] = at;
    at += text.length + 1;
  }
  starts[order.length] = at;
  hay = { epoch: state.viewEpoch, order, text: texts.join('\n'), starts, stale: new Set() };
  return hay;
}

let preparing = false;
/**
 * Builds the string when the page is idle after the order changed (the first full sort above all),
 * so the first keystroke does not wait for it. Browsers without requestIdleCallback build it shortly.
 */
export function prepareHaystack(): void {
  if (preparing || !state.indexed || (hay && hay.epoch === state.viewEpoch && hay.order === state.order))
    return;
  preparing = true;
  const build = () => {
    preparing = false;
    if (state.indexed) haystack();
  };
  if ('requestIdleCallback' in window) requestIdleCallback(build, { timeout: 2_000 });
  else setTimeout(build, 100);
}

/** A row's search text changed: its stretch of the string no longer tells. */
export function staleText(key: string): void {
  hay?.stale.add(key);
}

/** The row (index in `order`) whose text holds `pos`, from row `from` on (binary search). */
export function rowAt(h: Haystack, pos: number, from: number): number {
  let lo = from;
  let hi = h.order.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((h.starts[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
