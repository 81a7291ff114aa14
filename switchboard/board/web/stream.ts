// The connection to the board: one EventSource (`ready`, then batched deltas and the broker's status;
// stream-open.ts opens it before the bundle runs and fetches the snapshot for each `ready`), the badge
// that says Live, Reconnecting, or Broker unreachable, and when an outage (either of the last two)
// begins and ends: state.staleSince, which header.ts shows.

import { isLanguage } from '../../../protocol/languages.js';
import { applyDeltas, applySnapshot, type StreamSnapshot } from './data.js';
import { $ } from './elements.js';
import { clearOutageErrors } from './form-parts.js';
import { renderHead } from './header.js';
import { loadSession } from './session.js';
import { schedule, state, t } from './state.js';

/** how long a failed snapshot fetch waits before the next (the stream's own retry) */
const RETRY_MS = 2000;

/** A server-sent event's JSON body: the board's stream (streams.ts) sends each kind in one shape. */
const body = <T>(e: MessageEvent<string>): T => JSON.parse(e.data);

/** Takes over the stream stream-open.ts opened: its early events first, in order, then the live ones. */
export function connect(): void {
  const lang = new URLSearchParams(location.search).get('lang');
  if (isLanguage(lang)) state.lang = lang;
  renderHead();
  const opened = window.boardStream;
  const { source } = opened;
  const conn = $('[data-testid="conn"]');
  let broker = true;
  // before the first snapshot nothing was shown, so nothing can be out of date
  let received = false;
  const showConnection = (streaming: boolean) => {
    conn.dataset.state = !streaming ? 'reconnecting' : broker ? 'live' : 'stale';
    conn.textContent = !streaming ? t().reconnecting : broker ? t().live : t().brokerDown;
    // an outage dims the board and freezes the queue waits (header.ts) from its first moment
    const live = streaming && broker;
    if (!received || live === (state.staleSince === null)) return;
    state.staleSince = live ? null : Date.now();
    if (live) clearOutageErrors();
    state.dirty.chrome = true;
    schedule();
  };
  const showSnapshot = (snapshot: StreamSnapshot) => {
    broker = snapshot.broker;
    received = true;
    applySnapshot(snapshot);
    renderHead();
    showConnection(true);
  };
  // the deltas that come while the snapshot for the latest `ready` is fetched: applied after it, in order
  let held: MessageEvent<string>[] | null = null;
  const handlers: Record<string, (e: MessageEvent<string>) => void> = {
    async ready() {
      const mine: MessageEvent<string>[] = [];
      held = mine;
      let snapshot = await opened.snapshot;
      while (!snapshot && held === mine) {
        // no session any more: to the login; else the board was out of reach: ask again
        if (!(await loadSession().catch(() => true))) return;
        showConnection(false);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        opened.refetch();
        snapshot = await opened.snapshot;
      }
      // a later `ready` (the stream reconnected meanwhile) has its own snapshot coming
      if (held !== mine || !snapshot) return;
      held = null;
      showSnapshot(snapshot);
      for (const e of mine) applyDeltas(body(e));
    },
    delta: (e) => (held ? held.push(e) : applyDeltas(body(e))),
    status(e) {
      broker = body<{ broker: boolean }>(e).broker;
      showConnection(true);
    },
    error() {
      showConnection(false);
      // The server closed the stream for good (no session, it expired or logged out): to the login.
      if (source.readyState === EventSource.CLOSED) loadSession();
    },
  };
  // in one task: no event can come between the early ones and the live listeners
  for (const e of opened.take()) handlers[e.type]?.(e);
  for (const [type, handler] of Object.entries(handlers))
    source.addEventListener(type, handler as (e: Event) => void);
}
