// The phone bridge of one organisation: a contract session and one PhoneSystem adapter, with each job a
// feature (features/): the phone link, queues and voicemail it is the authority for (republished on
// every broker connect, stale and not zero while the phone system is unreachable), call events,
// referral changes handed to the adapter, and calls routed by the referral (features/routing.ts). Its
// will says phone/link down for the bridge itself.
import type { Feature } from '../../events/feature.js';
import { createLogger } from '../../log/logger.js';
import { type BrokerLogin, uniqueClientId } from '../../mqtt/client.js';
import { encode } from '../../protocol/index.js';
import { ContractSession, type Withheld } from '../../session/contract-session.js';
import { kindFilters } from '../../session/filters.js';
import { type BridgeContext, createBridgeContext, linkDown } from './bridge-context.js';
import { type AdapterFeature, adapterFeature } from './features/adapter.js';
import { callEventsFeature } from './features/call-events.js';
import { extCallsFeature } from './features/ext-calls.js';
import { lineStateFeature } from './features/line-state.js';
import { linkFeature } from './features/link.js';
import { type AlarmSeconds, queuesFeature } from './features/queues.js';
import { referralsFeature } from './features/referrals.js';
import { type RoutingFeature, type RoutingSettings, routingFeature } from './features/routing.js';
import { serviceFeature } from './features/service.js';
import { voicemailFeature } from './features/voicemail.js';
import type { PhoneSystem } from './port.js';

export interface BridgeOptions {
  brokerUrl: string;
  login?: BrokerLogin;
  org: string;
  phone: PhoneSystem;
  /** the queue lamp's alarm threshold per queue, and for the organisation's other queues */
  alarmSeconds?: AlarmSeconds;
  /** calls follow the referral (features/routing.ts); absent: the phone system rings every desk as it is */
  routing?: RoutingSettings;
  now?: () => number;
}

export interface BridgeStats {
  /** MQTT payloads refused (bad presence, …) */
  rejected: number;
  /** bad input the adapter reported (a malformed NOTIFY, …) */
  faults: number;
  /** call events and extension call steps dropped because their id was seen */
  duplicates: number;
  /** what the broker withheld (its ACL for the bridge's account) */
  withheld: Withheld;
}

export interface Bridge {
  /** resolves once the broker and the adapter run (the phone system may still be unreachable) */
  ready: Promise<void>;
  stats(): BridgeStats;
  stop(): Promise<void>;
}

/**
 * The features, in the order they hear each event: on a connect the link goes out before the values it
 * qualifies; the link's change reaches queues and voicemail (stale) after it is decided; the adapter,
 * last, opens once its reports have listeners and is closed first.
 */
function features(
  ctx: BridgeContext,
  options: BridgeOptions,
  routing: RoutingFeature,
  adapter: AdapterFeature,
): Feature[] {
  return [
    linkFeature(ctx),
    queuesFeature(ctx, options.alarmSeconds),
    voicemailFeature(ctx),
    callEventsFeature(ctx),
    extCallsFeature(ctx),
    lineStateFeature(ctx),
    referralsFeature(ctx),
    routing,
    serviceFeature(ctx),
    adapter,
  ];
}

export function startBridge(options: BridgeOptions): Bridge {
  const { org, phone } = options;
  const log = createLogger(`phone:${org}`);
  const now = options.now ?? Date.now;
  const session = new ContractSession({
    url: options.brokerUrl,
    clientId: uniqueClientId(`phone-${org}`),
    login: options.login,
    // our own queue, voicemail and line values come back too: after a restart they seed what we have not
    // heard; the directory's people are the lines to watch
    filters: kindFilters(
      ['directory-org', 'directory-person', 'presence', 'queue', 'voicemail', 'line', 'switchboard-service'],
      [org],
    ),
    // the reasons' labels for the phone system; and its queue and voicemail values, heard back, prove
    // that the broker takes its writes (session/)
    needs: ['directory-org'],
    log,
    // MQTT fixes a will's payload at connect: its `since` is when the bridge started
    will: encode(linkDown({ org, phone, now }, 'phone bridge offline')),
  });
  const ctx = createBridgeContext({ org, phone, session, log, now });
  const routing = routingFeature(ctx, options.routing);
  const adapter = adapterFeature(ctx, routing.route);
  void session.start(features(ctx, options, routing, adapter));
  const ready = adapter.opened;
  ready.catch((e) => log.error('phone bridge failed to start', { error: (e as Error).message }));

  return {
    ready,
    stats: () => ({ rejected: session.rejections.total, ...ctx.stats, withheld: session.withheld() }),
    // a clean stop says so itself (the will only fires on a lost connection)
    stop: () => session.close(linkDown(ctx, 'phone bridge stopped')),
  };
}
