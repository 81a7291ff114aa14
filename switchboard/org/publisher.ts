// `directory/org`'s authority: a contract session with one feature, which publishes the settings
// retained on every (re)connect, so a broker that lost its store (or a simulator that wrote its demo
// settings) is put right as soon as it is back.
import { listening } from '../../events/feature.js';
import { createLogger } from '../../log/logger.js';
import { type BrokerLogin, uniqueClientId } from '../../mqtt/client.js';
import { type OrgInfo, topicFor } from '../../protocol/index.js';
import { ContractSession, type Withheld } from '../../session/contract-session.js';

const log = createLogger('org-settings');

export interface OrgPublisherOptions {
  brokerUrl: string;
  org: string;
  info: OrgInfo;
  login?: BrokerLogin;
}

export interface OrgPublisher {
  /** resolves after the first publish was acknowledged */
  ready: Promise<void>;
  /** publishes new settings now and on every later reconnect */
  update(info: OrgInfo): Promise<void>;
  /** how many times the settings went out (each connect and each update) */
  readonly published: number;
  /** what the broker withheld (its ACL for the publisher's account) */
  withheld(): Withheld;
  stop(): Promise<void>;
}

export function startOrgPublisher(options: OrgPublisherOptions): OrgPublisher {
  const { org } = options;
  let info = options.info;
  let published = 0;
  const session = new ContractSession({
    url: options.brokerUrl,
    clientId: uniqueClientId(`org-${org}`),
    login: options.login,
    // its own settings: hearing them back is the proof that the broker took them (session/)
    filters: [topicFor({ kind: 'directory-org', org })],
    log,
  });
  const publish = async () => {
    await session.publish({ kind: 'directory-org', org, body: info });
    published++;
    log.info('published directory/org', { org, holidays: info.holidays?.length ?? 0 });
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
    withheld: () => session.withheld(),
    stop: () => session.close(),
  };
}
