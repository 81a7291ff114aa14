// `directory/org`'s authority: a contract session with one feature, which publishes the settings
// retained on every (re)connect, so a broker that lost its store (or a simulator that wrote its demo
// settings) is put right as soon as it is back. With switchboard hours in the settings it also keeps
// `switchboard-service` (open, closed, lunch: rules/switchboard-service.ts) current, published again
// at each change, so the phone system's night service follows the switchboard's hours.
import { listening } from '../../events/feature.js';
import { createLogger } from '../../log/logger.js';
import { type BrokerLogin, uniqueClientId } from '../../mqtt/client.js';
import { type OrgInfo, topicFor } from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import { switchboardServiceAt } from '../../rules/switchboard-service.js';
import { ContractSession, type Withheld } from '../../session/contract-session.js';

const log = createLogger('org-settings');

export interface OrgPublisherOptions {
  brokerUrl: string;
  org: string;
  info: OrgInfo;
  login?: BrokerLogin;
  /** the service state's boundaries are timed on it (a fake clock in tests) */
  clock?: Clock;
}

export interface OrgPublisher {
  /** resolves after the first publish was acknowledged */
  ready: Promise<void>;
  /** publishes new settings now and on every later reconnect */
  update(info: OrgInfo): Promise<void>;
  /** how many times the settings went out (each connect and each update) */
  readonly published: number;
  /** how many times switchboard-service went out (each connect, update and change of state) */
  readonly servicePublished: number;
  /** what the broker withheld (its ACL for the publisher's account) */
  withheld(): Withheld;
  stop(): Promise<void>;
}

export function startOrgPublisher(options: OrgPublisherOptions): OrgPublisher {
  const { org } = options;
  let info = options.info;
  let published = 0;
  let servicePublished = 0;
  const clock = options.clock ?? systemClock;
  let boundary: unknown;
  /** a state was published: without switchboard hours any more, it is cleared once */
  let serviceShown = false;
  const session = new ContractSession({
    url: options.brokerUrl,
    clientId: uniqueClientId(`org-${org}`),
    login: options.login,
    // its own settings: hearing them back is the proof that the broker took them (session/)
    filters: [topicFor({ kind: 'directory-org', org })],
    log,
  });
  /** switchboard-service now, and again at its next change (timers never pile up: one at a time) */
  const publishService = async (): Promise<void> => {
    clock.clearTimeout(boundary);
    boundary = undefined;
    const service = switchboardServiceAt(clock.now(), info);
    if (!service && !serviceShown) return;
    await session.publish({ kind: 'switchboard-service', org, body: service ? { v: 1, ...service } : null });
    serviceShown = service !== null;
    servicePublished++;
    log.info('published switchboard-service', {
      org,
      state: service?.state ?? 'cleared',
      until: service?.until,
    });
    if (service?.until !== undefined)
      // at the change (never sooner than a second); a failed publish waits for the next connect
      boundary = clock.setTimeout(
        () =>
          void publishService().catch((e: unknown) =>
            log.warn('service publish failed', { error: (e as Error).message }),
          ),
        Math.max(Date.parse(service.until) - clock.now(), 1000),
      );
  };
  const publish = async () => {
    await session.publish({ kind: 'directory-org', org, body: info });
    published++;
    log.info('published directory/org', { org, holidays: info.holidays?.length ?? 0 });
    await publishService();
  };
  let first: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    first = resolve;
  });
  const republish = listening(session.bus, {
    subscribed: () =>
      publish().then(first, (e: unknown) =>
        log.warn('publish failed; again on the next connect', { error: (e as Error).message }),
      ),
  });
  void session.start([republish]);

  return {
    ready,
    async update(next) {
      info = next;
      if (session.connected) await publish();
    },
    get published() {
      return published;
    },
    get servicePublished() {
      return servicePublished;
    },
    withheld: () => session.withheld(),
    stop: () => {
      clock.clearTimeout(boundary);
      return session.close();
    },
  };
}
