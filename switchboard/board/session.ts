// The board's contract session: every kind of message of the organisations it shows (or of all on the
// broker), each decoded once, retained state brought again on every connect (session/). What the
// board does with them is its features (features/), listed in feature-list.ts.
import { createLogger } from '../../log/logger.js';
import { type BrokerLogin, uniqueClientId } from '../../mqtt/client.js';
import { ContractSession } from '../../session/contract-session.js';
import { orgFilters } from '../../session/filters.js';

export interface BoardSessionOptions {
  brokerUrl: string;
  /** organisations to show; default every organisation on the broker */
  orgs?: string[] | undefined;
  /** the board's broker login (a production broker admits nobody anonymously: deploy/mosquitto) */
  login?: BrokerLogin | undefined;
}

const log = createLogger('board-mqtt');

/** Not started yet: `start(features)` connects. Throws on a bad org, before any connection is made. */
export function boardSession(options: BoardSessionOptions): ContractSession {
  return new ContractSession({
    url: options.brokerUrl,
    clientId: uniqueClientId('board'),
    login: options.login,
    filters: orgFilters(options.orgs),
    // a board without its people shows nothing: an account that may not read them is said at once
    needs: ['directory-person'],
    log,
    connectTimeoutMs: 5000,
  });
}
