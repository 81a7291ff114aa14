// The board's stream, opened by the page's first script (a classic one in the head, run while the HTML
// is still parsed), and its snapshot fetched as soon as the stream says `ready`: the snapshot (4.4 MB
// for 50,000 people) travels while the page's bundle loads and runs, and as a fetch it is read without
// the browser's event-stream parser (~60 ms of the main thread for 4.4 MB in Chromium's trace). The
// stream's events wait here, in order, until stream.ts takes the stream over. The session is asked for
// beside it (app.ts); a page without one goes to the login (the stream is refused with 401 and closes).
import type { StreamSnapshot } from './data.js';

/** the stream, its latest snapshot, and what it said before the page was ready to listen */
export interface OpenedStream {
  source: EventSource;
  /** the snapshot fetched for the stream's latest `ready`; null when it could not be had */
  snapshot: Promise<StreamSnapshot | null>;
  /** fetches the snapshot again (after a failed fetch) */
  refetch(): void;
  take(): MessageEvent<string>[];
}

declare global {
  interface Window {
    boardStream: OpenedStream;
  }
}

const TYPES = ['ready', 'delta', 'status', 'error'] as const;

function open(): OpenedStream {
  const org = new URLSearchParams(location.search).get('org');
  const query = org ? `org=${encodeURIComponent(org)}` : '';
  const source = new EventSource(`/api/stream?snapshot=fetch${query && `&${query}`}`);
  const fetchSnapshot = (): Promise<StreamSnapshot | null> =>
    fetch(`/api/snapshot${query && `?${query}`}`)
      .then((res) => (res.ok ? res.json() : null))
      .catch(() => null);
  const early: MessageEvent<string>[] = [];
  const keep = (e: Event) => early.push(e as MessageEvent<string>);
  for (const type of TYPES) source.addEventListener(type, keep);
  const opened: OpenedStream = {
    source,
    snapshot: Promise.resolve(null),
    refetch() {
      opened.snapshot = fetchSnapshot();
    },
    take() {
      for (const type of TYPES) source.removeEventListener(type, keep);
      return early;
    },
  };
  // registered first, so it runs before stream.ts's own listener for the same event
  source.addEventListener('ready', () => opened.refetch());
  return opened;
}

window.boardStream = open();
