// What the notifier's features share: its session, clock, log, state file, the directory it hears,
// its mailers and how its links are made.
import type { Logger } from '../../log/logger.js';
import type { Clock } from '../../rules/clock.js';
import type { ContractSession } from '../../session/contract-session.js';
import type { Directory } from './directory.js';
import { type LinkClaim, signLink } from './links.js';
import type { Channel, Mailer } from './mailer.js';
import type { NotifyState } from './state.js';

export interface RetryPolicy {
  /** the wait after the first failure; each later one doubles it */
  firstMs: number;
  maxMs: number;
  /** attempts before a delivery is given up ("failed" on the board) */
  attempts: number;
}

export interface NotifyContext {
  org: string;
  session: ContractSession;
  clock: Clock;
  log: Logger;
  state: NotifyState;
  directory: Directory;
  mailers: Partial<Record<Channel, Mailer>>;
  retry: RetryPolicy;
  links: {
    secret: string;
    /** the notifier's public address, as staff reach it (https://hanvisa.kommun.se/notify/) */
    baseUrl: string;
    /** how long a link works (it works once in any case) */
    ttlMs: number;
  };
}

/** A signed link to `path` (handled, extend) for the claim, expiring after the link lifetime. */
export function linkFor(ctx: NotifyContext, path: string, claim: Omit<LinkClaim, 'exp'>): string {
  const token = signLink(ctx.links.secret, { ...claim, exp: ctx.clock.now() + ctx.links.ttlMs });
  const url = new URL(path, ctx.links.baseUrl.endsWith('/') ? ctx.links.baseUrl : `${ctx.links.baseUrl}/`);
  url.searchParams.set('t', token);
  return url.toString();
}

/** The wait before attempt `attempts + 1`, after `attempts` failures: doubling, capped. */
export function retryDelay(retry: RetryPolicy, attempts: number): number {
  return Math.min(retry.maxMs, retry.firstMs * 2 ** Math.max(0, attempts - 1));
}
