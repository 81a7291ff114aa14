// The calendar bridge: polls each person's calendar, and refers their phone from it through the broker
// as the `calendar` authority. A contract session on the organisation's settings and the people's
// presences, and three features: the feeds (polling the sources), the referrals (deciding and
// publishing) and the feed status (calendar/{ext}). Per person it keeps the newest presence seen and
// the last good calendar; a feed that fails keeps that schedule (and says so in status()), and a change
// by hand is left alone (decide.ts).
import { createLogger } from '../../log/logger.js';
import { uniqueClientId } from '../../mqtt/client.js';
import { type CalendarStatus, type Presence, type RejectionCounter, topicFor } from '../../protocol/index.js';
import { systemClock } from '../../rules/clock.js';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { ContractSession, type Withheld } from '../../session/contract-session.js';
import { type BridgeContext, peopleOf, statusBody } from './context.js';
import { feedStatusFeature } from './features/feed-status.js';
import { feedsFeature } from './features/feeds.js';
import { referralsFeature } from './features/referrals.js';
import type { BridgeOptions } from './options.js';

export type { BridgeOptions, CalendarPerson } from './options.js';

const log = createLogger('calendar');

export interface CalendarBridge {
  /** resolves once connected, the retained presences read and every feed polled once */
  ready: Promise<void>;
  /** polls one person's feed now (or everyone's) and applies the result */
  poll(ext?: string): Promise<void>;
  /** how reading the person's calendar goes, as published on calendar/{ext} */
  status(ext: string): CalendarStatus | undefined;
  /** the newest presence seen for `ext` */
  presence(ext: string): Presence | null;
  rejections: RejectionCounter;
  /** what the broker withheld (its ACL for the bridge's account) */
  withheld(): Withheld;
  stop(): Promise<void>;
}

export function startCalendarBridge(options: BridgeOptions): CalendarBridge {
  const { org } = options;
  const people = peopleOf(options);
  const session = new ContractSession({
    url: options.brokerUrl,
    clientId: uniqueClientId(`calendar-${org}`),
    login: options.login,
    filters: [
      topicFor({ kind: 'directory-org', org }),
      ...[...people.keys()].map((ext) => topicFor({ kind: 'presence', org, ext })),
    ],
    log,
    // MQTT 3.1.1 has no end of the retained burst: deciding before it is over would build on a
    // presence not seen yet
    settleMs: options.settleMs ?? 500,
    // the organisation's reasons decide what a calendar entry refers; its presence writes are heard
    // back on the presence filters (session/), the proof that the broker takes them
    needs: ['directory-org'],
  });
  const ctx: BridgeContext = {
    session,
    options,
    clock: options.clock ?? systemClock,
    log,
    people,
    policy: DEFAULT_POLICY,
    settled: false,
  };
  // The features, in the order they hear each event.
  const status = feedStatusFeature(ctx);
  const referrals = referralsFeature(ctx, status);
  const feeds = feedsFeature(ctx, referrals, status);
  void session.start([referrals, status, feeds]);
  feeds.ready.catch((e: unknown) =>
    log.error('calendar bridge failed to start', { error: (e as Error).message }),
  );

  return {
    ready: feeds.ready,
    poll: (ext) =>
      feeds.poll(ext === undefined ? [...people.values()] : [people.get(ext)].filter((s) => s !== undefined)),
    status: (ext) => {
      const state = people.get(ext);
      return state && statusBody(state);
    },
    presence: (ext) => people.get(ext)?.current ?? null,
    rejections: session.rejections,
    withheld: () => session.withheld(),
    stop: () => session.close(),
  };
}
