// `directory/org`'s authority: publishes the settings retained on every (re)connect, so a broker that
// lost its store (or a simulator that wrote its demo settings) is put right as soon as it is back.

import { createLogger } from '../../log/logger.js';
import { createClient, reportConnectionErrors } from '../../mqtt/client.js';
import type { OrgInfo } from '../../protocol/index.js';
import type { BrokerLogin } from '../broker-session.js';
import { publishMessage } from '../publish.js';

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
  stop(): Promise<void>;
}

export function startOrgPublisher(options: OrgPublisherOptions): OrgPublisher {
  let info = options.info;
  let published = 0;
  const client = createClient({
    url: options.brokerUrl,
    clientId: `hanvisa-org-${options.org}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectMs: 1000,
    ...options.login,
  });
  reportConnectionErrors(client, log);

  const publish = async () => {
    await publishMessage(client, { kind: 'directory-org', org: options.org, body: info });
    published++;
    log.info('published directory/org', { org: options.org, holidays: info.holidays?.length ?? 0 });
  };
  let first: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    first = resolve;
  });
  client.on('connect', () => {
    publish().then(
      () => first?.(),
      (e) => log.warn('publish failed; again on the next connect', { error: (e as Error).message }),
    );
  });

  return {
    ready,
    async update(next) {
      info = next;
      if (client.connected) await publish();
    },
    get published() {
      return published;
    },
    async stop() {
      await client.endAsync(!client.connected);
    },
  };
}
