// The connection to the board: one EventSource (a snapshot, then batched deltas, and the broker's
// status), the badge that says Live, Reconnecting, or Broker unreachable, and when an outage (either
// of the last two) begins and ends: state.staleSince, which header.ts shows.

import { isLanguage } from '../../../protocol/languages.js';
import { applyDeltas, applySnapshot, type StreamSnapshot } from './data.js';
import { $ } from './elements.js';
import { clearOutageErrors } from './form-parts.js';
import { renderHead } from './header.js';
import { loadSession } from './session.js';
import { schedule, state, t } from './state.js';

/** A server-sent event's JSON body: the board's stream (streams.ts) sends each kind in one shape. */
const body = <T>(e: MessageEvent<string>): T => JSON.parse(e.data);

export function connect(): void {
  const params = new URLSearchParams(location.search);
  const lang = params.get('lang');
  if (isLanguage(lang)) state.lang = lang;
  renderHead();
  const org = params.get('org');
  const source = new EventSource(`/api/stream${org ? `?org=${encodeURIComponent(org)}` : ''}`);
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
  source.addEventListener('snapshot', (e) => {
    const snapshot = body<StreamSnapshot>(e);
    broker = snapshot.broker;
    received = true;
    applySnapshot(snapshot);
    renderHead();
    showConnection(true);
  });
  source.addEventListener('delta', (e) => applyDeltas(body(e)));
  source.addEventListener('status', (e) => {
    broker = body<{ broker: boolean }>(e).broker;
    showConnection(true);
  });
  source.addEventListener('error', () => {
    showConnection(false);
    // The server closed the stream for good (session expired or logged out): back to the login.
    if (source.readyState === EventSource.CLOSED) loadSession();
  });
}
