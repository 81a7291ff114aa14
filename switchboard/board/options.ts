// What startBoard (server.ts) is given: the board's options, each with its default, in a module of
// their own so the server holds the wiring and this file the one place that says what can be set.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BrokerLogin } from '../../mqtt/client.js';
import type { Auth } from '../auth/index.js';
import type { StatsRoutesOptions } from '../recorder/stats-http.js';
import type { StaffNotify } from '../staff/routes.js';

export interface BoardOptions {
  brokerUrl: string;
  /** the board's broker login; without it the board connects anonymously (the embedded broker, a demo) */
  brokerCredentials?: BrokerLogin;
  /** default 8080; 0 picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** organisations to show; default all on the broker */
  orgs?: string[];
  /** the URL of a person's virtual desk page, linked from the board (only http/https URLs are shown) */
  deskLinks?: (ext: string, org: string) => string | undefined;
  /** how long deltas are gathered before one SSE event carries them; default 10 ms (see docs/board.md) */
  batchMs?: number;
  /**
   * Runs before the board's own routes (after URL checks, with the security headers set): answers the
   * request itself and returns true (a login page, a 401), or returns false to let the board serve it.
   * This is where access control (switchboard/auth) mounts.
   */
  intercept?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
  /** access control (switchboard/auth); default open access, for the demo on one machine (logged loudly) */
  auth?: Auth;
  /** how often open streams are checked for an expired session; default 10 s (a logout closes them at once) */
  sessionCheckMs?: number;
  /**
   * how many bytes a stream may have buffered beyond its snapshot before it is dropped as not keeping
   * up (it reconnects and gets a fresh snapshot); default 8 MB
   */
  streamBacklogBytes?: number;
  /** the clock for what the board writes (message times, return times); default Date.now */
  now?: () => number;
  /**
   * the recorder's store: the statistics page (/stats) for operators and IT, and the operators' audit
   * trail; without it, no /stats and the trail says it is not kept
   */
  stats?: Omit<StatsRoutesOptions, 'directory' | 'today'>;
  /** how long an operator's write waits for the broker's PUBACK before a 504; default 10 s */
  publishTimeoutMs?: number;
  /**
   * the file where the board keeps the phone messages and referrals it wrote, republished on every
   * (re)connect so a broker that lost its store gets them back (docs/board.md); none: broker only
   */
  storeFile?: string;
  /**
   * with a login: how long the board waits for the broker's logouts before it listens, so a board
   * restarted in a rolling restart does not refuse the logins it has not seen yet; default 5 s
   * (docs/access.md, "Where logouts are kept")
   */
  logoutsWaitMs?: number;
  /**
   * keep the single mwi/{ext} value up to date as a copy of the per-message topics, for desk agents
   * from before 0.1.0 (release 0.2.0 only; docs/protocol.md, "Versioning"); default off
   */
  mwiCopy?: boolean;
  /**
   * the notifier (hanvisa notify) the staff page offers Web Push from: its public address and its link
   * secret, with which the board signs each person's subscribe token (docs/staff.md, "Push"); none: no offer
   */
  notify?: StaffNotify;
}
