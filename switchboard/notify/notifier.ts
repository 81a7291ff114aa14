// The notifier (`hanvisa notify`): phone messages to their person by e-mail and SMS, the nudge before
// a return time runs out, and the department's manager told when nobody is left to answer. A contract
// session on the organisation's messages, referrals and directory, a state file, the mailers, and the
// features; an HTTP server for the pages its signed links open. docs/notify.md.
import { createLogger, type Logger } from '../../log/logger.js';
import { type BrokerLogin, uniqueClientId } from '../../mqtt/client.js';
import { filterFor, type Kind, type RejectionCounter } from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import { ContractSession } from '../../session/contract-session.js';
import type { NotifyContext, RetryPolicy } from './context.js';
import { Directory } from './directory.js';
import { deliveriesFeature } from './features/deliveries.js';
import { directoryFeature } from './features/directory.js';
import { type Contact, managersFeature } from './features/managers.js';
import { nudgesFeature } from './features/nudges.js';
import { startNotifyHttp } from './http.js';
import type { Channel, Mailer } from './mailer.js';
import { PAGE_TEXTS } from './pages.js';
import { pushSender, type VapidKeys } from './push.js';
import { NotifyState } from './state.js';

/** What the notifier hears: messages, referrals, the directory and whose extension has a desk. */
const KINDS: readonly Kind[] = [
  'directory-org',
  'directory-person',
  'directory-department',
  'device-config',
  'presence',
  'mwi-message',
];

export const DEFAULT_RETRY: RetryPolicy = { firstMs: 30_000, maxMs: 30 * 60_000, attempts: 10 };

export interface NotifierOptions {
  brokerUrl: string;
  org: string;
  login?: BrokerLogin;
  mailers: Partial<Record<Channel, Mailer>>;
  /** the state file (deliveries, used links); undefined: memory only */
  stateFile?: string;
  linkSecret: string;
  /** the notifier's address as staff's browsers reach it (behind nginx, say) */
  publicUrl?: string;
  http: { host: string; port: number };
  linkTtlMs?: number;
  retry?: RetryPolicy;
  clock?: Clock;
  settleMs?: number;
  log?: Logger;
  /** VAPID keys: staff pages may subscribe to Web Push, and nudges go there */
  vapid?: VapidKeys;
  /** department id → whom to tell when it is left unstaffed (its manager, on-call) */
  managers?: Record<string, Contact[]>;
}

export interface Notifier {
  /** resolves once the HTTP server listens (the broker link comes and goes on its own) */
  ready: Promise<void>;
  /** the HTTP server's own address */
  url(): string;
  rejections: RejectionCounter;
  stop(): Promise<void>;
}

export function startNotifier(options: NotifierOptions): Notifier {
  const { org } = options;
  const log = options.log ?? createLogger('notify');
  const session = new ContractSession({
    url: options.brokerUrl,
    clientId: uniqueClientId(`notify-${org}`),
    login: options.login,
    filters: KINDS.map((kind) => filterFor(kind, org)),
    log,
    settleMs: options.settleMs ?? 500,
  });
  const clock = options.clock ?? systemClock;
  let httpUrl = '';
  const ctx: NotifyContext = {
    org,
    session,
    clock,
    log,
    state: new NotifyState(options.stateFile),
    directory: new Directory(),
    mailers: options.mailers,
    retry: options.retry ?? DEFAULT_RETRY,
    links: {
      secret: options.linkSecret,
      get baseUrl() {
        return options.publicUrl ?? httpUrl;
      },
      ttlMs: options.linkTtlMs ?? 14 * 24 * 3600_000,
    },
  };
  // The features, in the order they hear each event.
  const deliveries = deliveriesFeature(ctx);
  const pages = () => PAGE_TEXTS[ctx.directory.language()];
  const nudges = nudgesFeature(ctx, options.vapid && pushSender(options.vapid), (step) => ({
    question: pages().extendQuestion(step),
    button: pages().extendButton(step),
  }));
  const features = [directoryFeature(ctx), deliveries, nudges, managersFeature(ctx, options.managers ?? {})];

  const http = startNotifyHttp(
    ctx,
    {
      handled: {
        ask: (claim) => {
          const message = deliveries.open(claim.ext, claim.id);
          if (!message) return undefined;
          const t = pages();
          return {
            question: t.handledQuestion(message.from ?? message.number ?? '?'),
            button: t.handledButton,
          };
        },
        act: (claim) => deliveries.markHandled(claim.ext, claim.id),
      },
      extend: { ask: (claim) => nudges.ask(claim), act: (claim) => nudges.extend(claim) },
    },
    options.http,
    nudges.publicKey !== undefined
      ? { publicKey: nudges.publicKey, subscribe: (ext, subscription) => nudges.subscribe(ext, subscription) }
      : undefined,
  );
  const ready = http.then((h) => {
    httpUrl = h.url;
    void session.start(features);
  });
  return {
    ready,
    url: () => httpUrl,
    rejections: session.rejections,
    async stop() {
      await ready.catch(() => undefined);
      await session.close();
      await (await http).close();
      for (const mailer of Object.values(options.mailers)) await mailer.close();
    },
  };
}
