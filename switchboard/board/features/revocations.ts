// Logouts that outlive a restart and reach the other board (issue 25). Each logout made on this board
// is a retained session-revoked under every organisation the board shows; every board hears them (its
// own after a restart too), refuses those logins until their absolute expiry and closes their streams,
// and any board clears an expired one. The broker's list is only current once the retained burst after
// a subscription is in (`settled`; on a busy site live traffic may never leave a quiet window, so at
// the latest `burstMs` after subscribing: 100,000 retained messages take about a second). Until then,
// and while the broker is away, the board refuses logins it has not seen (SessionStore.revocationsKnown:
// fail safe). Why the broker: docs/access.md, "Where logouts are kept".
import { type Feature, listening } from '../../../events/feature.js';
import { createLogger } from '../../../log/logger.js';
import type { Message } from '../../../protocol/index.js';
import type { ContractSession } from '../../../session/contract-session.js';
import type { Revocation, SessionStore } from '../../auth/index.js';
import type { DurableWrites } from '../durable-writes.js';
import type { StreamHub } from '../streams.js';

const log = createLogger('board-logouts');

export interface RevocationsOptions {
  sessions: SessionStore;
  streams: StreamHub;
  /** the organisations to publish under: the board's own (--org), else every one it knows */
  orgs: () => readonly string[];
  /** the board's store file (--writes): a logout made while the broker is away outlives a restart */
  store?: DurableWrites | undefined;
  /** how often expired logouts are cleared from the broker; default a minute */
  sweepMs?: number;
  /** the retained burst is taken as in this long after subscribing, if it has not settled; default 5 s */
  burstMs?: number;
}

export interface RevocationsFeature extends Feature {
  /** resolves once the broker's logouts are in after the first subscription */
  readonly loaded: Promise<void>;
}

export function revocationsFeature(
  session: ContractSession,
  options: RevocationsOptions,
): RevocationsFeature {
  const { sessions, streams, orgs, store } = options;
  let loadedOnce: () => void = () => {};
  const loaded = new Promise<void>((resolve) => {
    loadedOnce = resolve;
  });
  const keep = (message: Message<'session-revoked'>) => {
    try {
      store?.record(message);
    } catch (e) {
      log.warn('logout not kept in the store', { error: (e as Error).message });
    }
  };
  const publish = ({ id, until }: Revocation, own = false) => {
    const where = orgs();
    if (where.length === 0) log.warn('a logout reaches no other board: no organisation to publish it under');
    const body = { v: 1 as const, until: new Date(until).toISOString() };
    for (const org of where) {
      const message = { kind: 'session-revoked' as const, org, sessionId: id, body };
      if (own) keep(message);
      void session.send(message);
    }
  };
  // an empty retained payload: the login has expired, nothing is left to refuse
  const clear = (org: string, id: string) => {
    const message = { kind: 'session-revoked' as const, org, sessionId: id, body: null };
    keep(message);
    void session.send(message);
  };

  let burst: NodeJS.Timeout | undefined;
  const known = (yes: boolean) => {
    clearTimeout(burst);
    sessions.revocationsKnown = yes;
    if (yes) loadedOnce();
  };
  const listener = listening(session.bus, {
    'session-revoked': ({ message }) => {
      if (!message.body) return;
      const revocation = { id: message.sessionId, until: Date.parse(message.body.until) };
      if (!sessions.revoke(revocation)) return clear(message.org, message.sessionId);
      streams.endDeadStreams();
    },
    // offline, or connected but not yet holding the broker's list
    status: () => known(false),
    subscribed: () => {
      clearTimeout(burst);
      burst = setTimeout(() => known(true), options.burstMs ?? 5000);
      // a broker that lost its store, or a logout made while it was away, gets them (again)
      for (const revocation of sessions.liveRevocations()) publish(revocation);
    },
    settled: () => known(true),
  });
  let stopLogouts: (() => void) | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  return {
    loaded,
    start() {
      known(false);
      // this board's own logouts from before a restart, whether or not the broker has them
      for (const m of store?.messages() ?? [])
        if (m.kind === 'session-revoked' && m.body) {
          const until = Date.parse(m.body.until);
          if (!sessions.revoke({ id: m.sessionId, until })) clear(m.org, m.sessionId);
        }
      stopLogouts = sessions.revocations.onLogout((revocation) => publish(revocation, true));
      sweeper = setInterval(() => {
        for (const id of sessions.sweep()) for (const org of orgs()) clear(org, id);
      }, options.sweepMs ?? 60_000);
      sweeper.unref();
      listener.start();
    },
    async stop() {
      clearInterval(sweeper);
      clearTimeout(burst);
      stopLogouts?.();
      await listener.stop();
    },
  };
}
