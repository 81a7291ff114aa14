// The operators' board service: node:http, no framework. Serves the page's static files, a JSON
// snapshot, and a Server-Sent Events stream (a snapshot first, then batched deltas), all fed by the
// in-memory model, each reduced to what the viewer's role may see. Operators' writes (a referral on
// someone's behalf, a phone message, marking one handled) are published through the board's contract
// session; the board is the authority for phone messages.
// The board is one contract session (session.ts) and its features (features/, listed in `features()`
// in feature-list.ts); this module wires them to the parts: assets.ts, wire.ts (redaction), streams.ts (SSE),
// writes.ts, http.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createLogger } from '../../log/logger.js';
import type { RejectionCounter } from '../../protocol/index.js';
import { queueAlarmSeconds } from '../../rules/queue-threshold.js';
import type { ContractSession } from '../../session/contract-session.js';
import { type Auth, createAuth, HSTS, type Role, type Session } from '../auth/index.js';
import { DEFAULT_HEARTBEAT_MS } from '../recorder/options.js';
import { createStatsRoutes, STATS_ROLES } from '../recorder/stats-http.js';
import { TodayFigures } from '../recorder/today.js';
import { createStaffPages } from '../staff/pages.js';
import { loadAssets, sendAsset } from './assets.js';
import { createDepartmentWrites, DEPARTMENT_PATH } from './department-writes.js';
import { DurableWrites } from './durable-writes.js';
import { features } from './feature-list.js';
import { revocationsFeature } from './features/revocations.js';
import { serviceLevelsFeature } from './features/service-levels.js';
import {
  fail,
  HttpError,
  json,
  orgParam,
  requestUrl,
  setSecurityHeaders,
  streamSnapshotParam,
} from './http.js';
import { BoardModel } from './model.js';
import type { BoardOptions } from './options.js';
import { boardSession } from './session.js';
import { createStreamHub } from './streams.js';
import { createRedaction, viewOf } from './wire.js';
import { AUDIT_PATH, createWrites, WRITE_PATH } from './writes.js';

export type { BoardOptions } from './options.js';
export type { WireDelta, WireRow } from './wire.js';

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
  // today's figures kept over the statistics store: one for the board, read by /api/stats and the
  // managers' view alike (each keeping its own would replay and follow the same day twice)
  const today = options.stats && new TodayFigures(options.stats.storage);
  const stats =
    options.stats &&
    today &&
    createStatsRoutes({
      ...options.stats,
      today,
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
          for (const row of model.rowsOf(org))
            if (row.name !== null && row.department !== null)
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
      if (path === '/api/stream')
        return streams.open(req, res, orgParam(url, ['snapshot']), session, streamSnapshotParam(url));
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
    ...(options.stats && today ? { stats: { storage: options.stats.storage, today } } : {}),
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
