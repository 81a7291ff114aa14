// The operators' board service: node:http, no framework. Serves the page's static files, a JSON
// snapshot, and a Server-Sent Events stream (a snapshot first, then batched deltas), all fed by the
// in-memory model, each reduced to what the viewer's role may see. Operators' writes (a referral on
// someone's behalf, a phone message, marking one handled) are published through the board's contract
// session; the board is the authority for phone messages.
// The board is one contract session (session.ts) and its features (features/, listed in `features`
// below); this module wires them to the parts: assets.ts, wire.ts (redaction), streams.ts (SSE),
// writes.ts, http.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Feature } from '../../events/feature.js';
import { createLogger } from '../../log/logger.js';
import type { BrokerLogin } from '../../mqtt/client.js';
import type { RejectionCounter } from '../../protocol/index.js';
import { queueAlarmSeconds } from '../../rules/queue-threshold.js';
import type { ContractSession } from '../../session/contract-session.js';
import { type Auth, createAuth, HSTS, type Role, type Session } from '../auth/index.js';
import { DEFAULT_HEARTBEAT_MS } from '../recorder/options.js';
import { createStatsRoutes, STATS_ROLES, type StatsRoutesOptions } from '../recorder/stats-http.js';
import { createStaffPages } from '../staff/pages.js';
import type { StaffNotify } from '../staff/routes.js';
import { loadAssets, sendAsset } from './assets.js';
import { createDepartmentWrites, DEPARTMENT_PATH } from './department-writes.js';
import { DurableWrites } from './durable-writes.js';
import { brokerStatusFeature } from './features/broker-status.js';
import { deskHandledFeature } from './features/desk-handled.js';
import { durableStoreFeature } from './features/durable-store.js';
import { legacyMwiFeature } from './features/legacy-mwi.js';
import { modelFeature } from './features/model.js';
import { mwiCopyFeature } from './features/mwi-copy.js';
import { type RevocationsFeature, revocationsFeature } from './features/revocations.js';
import { type ServiceLevels, serviceLevelsFeature } from './features/service-levels.js';
import { fail, HttpError, json, orgParam, requestUrl, setSecurityHeaders } from './http.js';
import { BoardModel } from './model.js';
import { boardSession } from './session.js';
import { createStreamHub, type StreamHub } from './streams.js';
import { createRedaction, viewOf } from './wire.js';
import { AUDIT_PATH, createWrites, WRITE_PATH, type Writes } from './writes.js';

export type { WireDelta, WireRow } from './wire.js';

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
  stats?: Omit<StatsRoutesOptions, 'directory'>;
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

export interface Board {
  url: string;
  port: number;
  model: BoardModel;
  /** what the contract refused */
  rejections: RejectionCounter;
  /** the board's link to the broker: `ready` resolves once subscribed, `bus` is where its features hear */
  session: ContractSession;
  auth: Auth;
  close(): Promise<void>;
}

const ALL_ROLES: readonly Role[] = ['operator', 'viewer', 'it', 'staff', 'manager'];
/** snapshot JSON cached for at most this many views at once */
const SNAPSHOT_VIEWS = 4;

const log = createLogger('board');

/**
 * The board's features, in the order they hear each event: the model first, so every other feature
 * sees a message applied (the session emits `message` before the message's kind, so the features
 * that hear one kind come after the model too). A new feature is one entry here (docs/board.md).
 */
function features(
  session: ContractSession,
  model: BoardModel,
  store: DurableWrites | undefined,
  writes: Writes,
  streams: StreamHub,
  logouts: RevocationsFeature | undefined,
  mwiCopy: boolean,
  levels: ServiceLevels,
): Feature[] {
  return [
    modelFeature(session, model),
    levels,
    ...(store ? [durableStoreFeature(session, store, model)] : []),
    legacyMwiFeature(session, writes),
    ...(mwiCopy ? [mwiCopyFeature(session, model)] : []),
    deskHandledFeature(session, writes),
    brokerStatusFeature(session, streams),
    ...(logouts ? [logouts] : []),
  ];
}

/** Waits for `loaded`, at most `ms`: a board whose broker is away starts anyway, refusing logins it has not seen. */
async function loadedOrTimeout(loaded: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    loaded.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime)
    log.warn("the broker's logouts are not in: logins this board has not seen are refused until they are");
}

export async function startBoard(options: BoardOptions): Promise<Board> {
  // The board's contract session (a `session` below is a viewer's login), made first: it checks the
  // org list, so a bad org throws before anything listens or connects.
  const link = boardSession({
    brokerUrl: options.brokerUrl,
    orgs: options.orgs,
    login: options.brokerCredentials,
  });
  const assets = loadAssets();

  const auth = options.auth ?? createAuth({ openAccess: true });
  const model = new BoardModel(link.rejections, createLogger('board-mqtt'), options.now ?? Date.now);
  const http = { rejected: 0 };
  const redaction = createRedaction(model, options.deskLinks);
  // The snapshot's JSON is built once per view: pages (and /api/snapshot) opening before anything
  // changes share it. Any change empties the cache, so it is never stale; it holds a few views at
  // most (~4.4 MB each at 50,000 people), and listens to the model only while it holds any.
  const snapshots = new Map<string, string>();
  let unlisten: (() => void) | undefined;
  const forget = () => {
    snapshots.clear();
    unlisten?.();
    unlisten = undefined;
  };
  const snapshot = (org: string | undefined, viewer: Session): string => {
    const broker = link.connected;
    const key = `${viewOf(viewer, org)}|${broker}`;
    let text = snapshots.get(key);
    if (text === undefined) {
      text = JSON.stringify(redaction.snapshot(org, viewer, broker));
      const oldest = snapshots.keys().next();
      if (snapshots.size >= SNAPSHOT_VIEWS && !oldest.done) snapshots.delete(oldest.value);
      snapshots.set(key, text);
      unlisten ??= model.listen(forget);
    }
    return text;
  };
  const stats =
    options.stats &&
    createStatsRoutes({
      ...options.stats,
      directory: {
        orgs: () => [...model.orgs].map(([id, info]) => ({ id, name: info.name, timeZone: info.timeZone })),
        departments: (org) =>
          [...model.departments.values()]
            .filter((d) => d.org === org)
            .map((d) => ({ id: d.id, name: d.department.name })),
        reasons: (org) => model.orgs.get(org)?.reasons,
        personName: (org, ext) => model.row(org, ext)?.name ?? null,
        answerTarget: (org) => model.orgs.get(org)?.answerWithin,
        headcounts: (org) => {
          const counts: Record<string, number> = {};
          for (const row of model.snapshot().rows)
            if (row.org === org && row.name !== null && row.department !== null)
              counts[row.department] = (counts[row.department] ?? 0) + 1;
          return counts;
        },
        queueAlarmSeconds: (org, department) => {
          const queue = department && model.departments.get(`${org}/${department}`)?.department.queue;
          return queueAlarmSeconds(
            queue ? model.queues.get(`${org}/${queue}`)?.queue : undefined,
            model.orgs.get(org),
          );
        },
      },
    });
  const streams = createStreamHub({
    model,
    auth,
    redaction,
    snapshot,
    batchMs: options.batchMs ?? 10,
    sessionCheckMs: options.sessionCheckMs ?? 10_000,
    backlogBytes: options.streamBacklogBytes ?? 8 * 1024 * 1024,
  });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(res);
    // on every answer over TLS, not only the login page's: a page bookmarked past login still pins https
    if (auth.overTls(req)) res.setHeader('Strict-Transport-Security', HSTS);
    let url: URL;
    try {
      url = requestUrl(req);
    } catch (e) {
      return fail(res, e as HttpError, http);
    }
    (async () => {
      // /login, /login.css, /logout, /api/session
      if (await auth.handle(req, res)) {
        if (url.pathname === '/logout') streams.endDeadStreams();
        return;
      }
      if (options.intercept && (await options.intercept(req, res, url))) return;
      const path = url.pathname;
      // For the host's monitoring, without a session: whether the board has its broker, nothing else.
      if (path === '/healthz') {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('Allow', 'GET, HEAD');
          throw new HttpError(405, `method ${String(req.method).slice(0, 10)} not allowed here`);
        }
        const connected = link.connected;
        res.statusCode = connected ? 200 : 503;
        return json(req, res, { broker: connected ? 'connected' : 'disconnected' });
      }
      // Static files hold no data: the login page needs none of them, but they are harmless without a session.
      if (path.startsWith('/assets/') || path === '/favicon.ico') return route(req, res, url, undefined);
      if (stats?.matches(path)) {
        const session = auth.requireRole(req, res, STATS_ROLES);
        if (session) await stats.handle(req, res, url, session);
        return;
      }
      // the staff page and the manager's view (switchboard/staff/)
      if (staffPages.matches(path)) return await staffPages.handle(req, res, path);
      const session = auth.requireRole(req, res, ALL_ROLES);
      if (!session) return;
      if (req.method === 'POST' && WRITE_PATH.test(path)) return await writes.handle(req, res, path, session);
      if (req.method === 'POST' && DEPARTMENT_PATH.test(path))
        return await departmentWrites.handle(req, res, path, session);
      if ((req.method === 'GET' || req.method === 'HEAD') && AUDIT_PATH.test(path))
        return await writes.audit(req, res, path, session);
      return route(req, res, url, session);
    })().catch((e: unknown) => {
      if (e instanceof HttpError) {
        // the rest of an oversized body is not read: the connection cannot carry another request
        if (e.status === 413) res.setHeader('Connection', 'close');
        return fail(res, e, http);
      }
      log.error('request failed', { error: (e as Error).message });
      if (!res.headersSent) fail(res, new HttpError(500, 'internal error'), http);
      else res.destroy();
    });
  };

  const route = (req: IncomingMessage, res: ServerResponse, url: URL, session: Session | undefined) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        throw new HttpError(405, `method ${req.method} not allowed here`);
      }
      const path = url.pathname;
      if (path.startsWith('/assets/')) return sendAsset(req, res, assets, path.slice('/assets/'.length), url);
      if (path === '/favicon.ico') return sendAsset(req, res, assets, 'favicon.svg', url);
      if (!session) throw new HttpError(401, 'login required');
      if (path === '/' || path === '/index.html') return sendAsset(req, res, assets, 'index.html', url);
      if (path === '/api/snapshot') {
        const text = Buffer.from(snapshot(orgParam(url), session));
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Content-Length', text.length);
        return void res.end(req.method === 'HEAD' ? undefined : text);
      }
      if (path === '/api/health') {
        orgParam(url);
        return json(req, res, {
          broker: link.connected ? 'connected' : 'disconnected',
          people: model.size,
          streams: streams.size,
          applied: model.stats.applied,
          stale: model.stats.stale,
          deviceRefused: model.stats.deviceRefused,
          rejected: link.rejections.snapshot(),
          withheld: link.withheld(),
          httpRejected: http.rejected,
          featureFailures: Object.fromEntries(link.bus.failures),
          writes: { ...writes.counts },
          auth: auth.rejected(),
        });
      }
      if (path === '/api/stream') return streams.open(req, res, orgParam(url), session);
      throw new HttpError(404, `no such page: ${path.slice(0, 80)}`);
    } catch (e) {
      if (e instanceof HttpError) return fail(res, e, http);
      log.error('request failed', { error: (e as Error).message });
      return fail(res, new HttpError(500, 'internal error'), http);
    }
  };

  const store = options.storeFile ? new DurableWrites(options.storeFile) : undefined;
  const writes = createWrites({
    model,
    session: link,
    auth,
    orgs: options.orgs,
    now: options.now ?? Date.now,
    http,
    ...(options.publishTimeoutMs ? { publishTimeoutMs: options.publishTimeoutMs } : {}),
    ...(store ? { store } : {}),
    ...(options.stats
      ? {
          audit: {
            storage: options.stats.storage,
            heartbeatMs: options.stats.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
          },
        }
      : {}),
  });
  const levels = serviceLevelsFeature(link);
  const staffPages = createStaffPages({
    model,
    levels,
    auth,
    publish: writes.commit,
    ...(options.stats ? { storage: options.stats.storage } : {}),
    ...(options.notify ? { notify: options.notify } : {}),
    now: options.now ?? Date.now,
  });
  const departmentWrites = createDepartmentWrites({
    model,
    writes,
    auth,
    orgs: options.orgs,
    now: options.now ?? Date.now,
    http,
  });
  // open access has no logins to log out
  const logouts = auth.openAccess
    ? undefined
    : revocationsFeature(link, {
        sessions: auth.sessions,
        streams,
        store,
        orgs: () => options.orgs ?? [...model.orgs.keys()],
      });
  await link.start(features(link, model, store, writes, streams, logouts, options.mwiCopy ?? false, levels));
  if (logouts) await loadedOrTimeout(logouts.loaded, options.logoutsWaitMs ?? 5000);
  const server = createServer(handle);
  server.on('clientError', (_error, socket) => {
    http.rejected++;
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    streams.close();
    await link.close();
    throw e;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  log.info('board listening', {
    url,
    broker: options.brokerUrl,
    ...(options.brokerCredentials ? { brokerUser: options.brokerCredentials.username } : {}),
  });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    model,
    rejections: link.rejections,
    session: link,
    auth,
    close() {
      closing ??= (async () => {
        streams.close();
        await link.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
