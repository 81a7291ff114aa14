// The operators' board service: node:http, no framework. Serves the page's static files, a JSON
// snapshot, and a Server-Sent Events stream (a snapshot first, then batched deltas), all fed by the
// in-memory model that the ingest keeps current from the broker, each reduced to what the session's
// role may see. Operators' writes (a referral on someone's behalf, a phone message, marking one
// handled) are published over the ingest's MQTT connection; the board is the authority for phone messages.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ZodType } from 'zod';
import { policyFromOrg } from '../../agent/domain/policy.js';
import {
  type Actor,
  createLogger,
  DEFAULT_REASONS,
  decode,
  findReason,
  type Message,
  type Mwi,
  RejectionCounter,
  SEGMENT_PATTERNS,
} from '../../protocol/index.js';
import {
  ACTING_ROLES,
  type Auth,
  canSeeMessages,
  canSeeOrg,
  createAuth,
  type Role,
  type Session,
  visibleReason,
} from '../auth/index.js';
import {
  issues,
  MessageRequest,
  PresenceRequest,
  presenceOnBehalf,
  takeMessage,
  withoutMessage,
} from './actions.js';
import { type Ingest, startIngest } from './ingest.js';
import { BoardModel, type Delta, type Row } from './model.js';

export interface BoardOptions {
  brokerUrl: string;
  /** default 8080; 0 picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** organisations to show; default all on the broker */
  orgs?: string[];
  /** the URL of a person's virtual desk page, linked from the board (only http/https URLs are shown) */
  deskLinks?: (ext: string, org: string) => string | undefined;
  /** how long deltas are gathered before one SSE event carries them; default 25 ms */
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
  /** the clock for what the board writes (message times, return times); default Date.now */
  now?: () => number;
}

export interface Board {
  url: string;
  port: number;
  model: BoardModel;
  rejections: RejectionCounter;
  ingest: Ingest;
  auth: Auth;
  close(): Promise<void>;
}

const ALL_ROLES: readonly Role[] = ['operator', 'viewer', 'it'];
/** Operators' write bodies are small: a referral or a phone message of at most 1,000 characters. */
const MAX_BODY = 4 * 1024;
/** /api/presence/{org}/{ext}, /api/messages/{org}/{ext}, /api/messages/{org}/{ext}/{id}/handled */
const WRITE_PATH = /^\/api\/(presence|messages)\/([^/]+)\/([^/]+)(?:\/([^/]+)\/(handled))?$/;

const log = createLogger('board');

/** Static files are plain ES modules and CSS in switchboard/board/web, found from the package root so
 * the same lookup works from source (vitest) and from dist/ (tsc copies no assets). */
function findWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'switchboard', 'board', 'web');
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('board: package root (package.json) not found above the server module');
    dir = parent;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The only files served: a fixed list, so no request path ever reaches the file system. */
const ASSETS = ['index.html', 'app.js', 'format.js', 'departments.js', 'style.css', 'favicon.svg'];

function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const dir = findWebDir();
  const assets = new Map<string, { type: string; body: Buffer }>();
  for (const name of ASSETS) {
    const ext = name.slice(name.lastIndexOf('.'));
    assets.set(name, { type: TYPES[ext] ?? 'application/octet-stream', body: readFileSync(join(dir, name)) });
  }
  return assets;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A stream whose client cannot keep up is dropped (it reconnects and gets a fresh snapshot). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

interface Stream {
  res: ServerResponse;
  org: string | undefined;
  session: Session;
  /** streams with the same view get the same bytes: each batch is redacted once per view */
  view: string;
}

function deltaKey(d: Delta): string {
  switch (d.type) {
    case 'row':
      return `r:${d.row.org}/${d.row.ext}`;
    case 'row-removed':
      return `r:${d.org}/${d.ext}`;
    case 'department':
      return `d:${d.org}/${d.id}`;
    case 'queue':
      return `q:${d.org}/${d.id}`;
    case 'org':
      return `o:${d.org}`;
  }
}

const deltaOrg = (d: Delta | WireDelta) => (d.type === 'row' ? d.row.org : d.org);

/** A row on the wire: empty fields (null, 0) are left out, a third less to send for 50,000 people. */
export type WireRow = Partial<Row> & { org: string; ext: string; desk?: string };

/** What the stream carries: the model's deltas with rows in wire form. */
export type WireDelta = Exclude<Delta, { type: 'row' }> | { type: 'row'; row: WireRow };

function compact(row: Row): WireRow {
  const wire: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (v !== null && v !== 0) wire[k] = v;
  return wire as WireRow;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startBoard(options: BoardOptions): Promise<Board> {
  const assets = loadAssets();
  const auth = options.auth ?? createAuth({ openAccess: true });
  const rejections = new RejectionCounter(createLogger('board-mqtt'));
  const model = new BoardModel(rejections);
  const http = { rejected: 0 };
  const streams = new Set<Stream>();
  const batchMs = options.batchMs ?? 25;

  const deskLink = (row: Row): string | undefined => {
    const url = options.deskLinks?.(row.ext, row.org);
    return url && /^https?:\/\//.test(url) ? url : undefined;
  };
  const catalogue = (org: string) => model.orgs.get(org)?.reasons ?? DEFAULT_REASONS;
  /** The row as this session may see it: redacted here, in what is sent, not hidden in the page. */
  const present = (row: Row, viewer: Session): WireRow => {
    const wire = compact(row);
    if (viewer.role !== 'operator') {
      if (row.reason !== null) {
        // A code missing from the catalogue counts as private: unknown means not shown.
        const def = findReason(row.reason, catalogue(row.org)) ?? { code: row.reason, privacy: 'private' };
        wire.reason = visibleReason(viewer.role, def);
      }
      delete wire.note;
    }
    if (!canSeeMessages(viewer.role, viewer, row.ext, row.org)) delete wire.phoneMessages;
    const desk = deskLink(row);
    if (desk) wire.desk = desk;
    return wire;
  };
  const presentDelta = (d: Delta, viewer: Session): WireDelta =>
    d.type === 'row' ? { type: d.type, row: present(d.row, viewer) } : d;
  const sees = (viewer: Session, only: string | undefined, org: string) =>
    (!only || org === only) && canSeeOrg(viewer, org);

  // Deltas gathered per key: a person changing five times within one batch costs one row on the wire.
  let pending = new Map<string, Delta>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = [...pending.values()];
    pending = new Map();
    const chunks = new Map<string, string | null>();
    for (const stream of streams) {
      let chunk = chunks.get(stream.view);
      if (chunk === undefined) {
        const mine = batch
          .filter((d) => sees(stream.session, stream.org, deltaOrg(d)))
          .map((d) => presentDelta(d, stream.session));
        chunk = mine.length ? `event: delta\ndata: ${JSON.stringify(mine)}\n\n` : null;
        chunks.set(stream.view, chunk);
      }
      if (chunk) send(stream, chunk);
    }
  };
  const send = (stream: Stream, chunk: string) => {
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) {
      log.warn('dropping a board stream that does not keep up');
      streams.delete(stream);
      stream.res.destroy();
      return;
    }
    stream.res.write(chunk);
  };
  model.listen((delta) => {
    if (streams.size === 0) return;
    const k = deltaKey(delta);
    pending.delete(k);
    pending.set(k, delta);
    timer ??= setTimeout(flush, batchMs);
  });
  const keepalive = setInterval(() => {
    for (const stream of streams) send(stream, ': keepalive\n\n');
  }, 20_000);
  // A stream outlives the request that opened it: end those whose session expired or logged out.
  const endDeadStreams = () => {
    if (auth.openAccess) return;
    for (const stream of streams) {
      if (auth.sessions.alive(stream.session.id)) continue;
      log.info('closing the stream of an ended session', { username: stream.session.username });
      streams.delete(stream);
      stream.res.end();
    }
  };
  const sessionCheck = setInterval(endDeadStreams, options.sessionCheckMs ?? 10_000);

  const snapshot = (org: string | undefined, viewer: Session) => {
    const s = model.snapshot();
    const inOrg = <T extends { org: string }>(items: T[]) => items.filter((i) => sees(viewer, org, i.org));
    return {
      orgs: Object.fromEntries(Object.entries(s.orgs).filter(([o]) => sees(viewer, org, o))),
      departments: inOrg(s.departments),
      queues: inOrg(s.queues),
      rows: inOrg(s.rows).map((row) => present(row, viewer)),
      reasons: DEFAULT_REASONS,
      broker: ingest.connected(),
    };
  };

  const orgParam = (url: URL): string | undefined => {
    for (const name of url.searchParams.keys()) {
      if (name !== 'org' && name !== 'lang')
        throw new HttpError(400, `unknown query parameter ${JSON.stringify(name)}`);
    }
    const org = url.searchParams.get('org') ?? undefined;
    if (org !== undefined && !SEGMENT_PATTERNS.org.test(org)) {
      throw new HttpError(
        400,
        `invalid org ${JSON.stringify(org.slice(0, 40))}: lower-case letters, digits, -`,
      );
    }
    return org;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    let url: URL;
    try {
      if (!req.url?.startsWith('/') || req.url.startsWith('//'))
        throw new HttpError(400, 'request target must be a path');
      if (req.url.length > 2048) throw new HttpError(414, 'URL longer than 2048 characters');
      url = new URL(req.url, 'http://board.invalid');
      decodeURIComponent(url.pathname);
    } catch (e) {
      return fail(res, e instanceof HttpError ? e : new HttpError(400, 'malformed URL'));
    }
    (async () => {
      // /login, /login.css, /logout, /api/session
      if (await auth.handle(req, res)) {
        if (url.pathname === '/logout') endDeadStreams();
        return;
      }
      if (options.intercept && (await options.intercept(req, res, url))) return;
      const path = url.pathname;
      // Static files hold no data: the login page needs none of them, but they are harmless without a session.
      if (path.startsWith('/assets/') || path === '/favicon.ico') return route(req, res, url, undefined);
      const session = auth.requireRole(req, res, ALL_ROLES);
      if (!session) return;
      if (req.method === 'POST' && WRITE_PATH.test(path)) return await write(req, res, path, session);
      return route(req, res, url, session);
    })().catch((e: unknown) => {
      if (e instanceof HttpError) {
        // the rest of an oversized body is not read: the connection cannot carry another request
        if (e.status === 413) res.setHeader('Connection', 'close');
        return fail(res, e);
      }
      log.error('request failed', { error: (e as Error).message });
      if (!res.headersSent) fail(res, new HttpError(500, 'internal error'));
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
      if (path.startsWith('/assets/')) return asset(req, res, path.slice('/assets/'.length), url);
      if (path === '/favicon.ico') return asset(req, res, 'favicon.svg', url);
      if (!session) throw new HttpError(401, 'login required');
      if (path === '/' || path === '/index.html') return asset(req, res, 'index.html', url);
      if (path === '/api/snapshot') return json(req, res, snapshot(orgParam(url), session));
      if (path === '/api/health') {
        orgParam(url);
        return json(req, res, {
          broker: ingest.connected() ? 'connected' : 'disconnected',
          people: model.size,
          streams: streams.size,
          applied: model.stats.applied,
          stale: model.stats.stale,
          rejected: rejections.snapshot(),
          httpRejected: http.rejected,
          writes: { ...writes },
          auth: auth.rejected(),
        });
      }
      if (path === '/api/stream') return stream(req, res, orgParam(url), session);
      throw new HttpError(404, `no such page: ${path.slice(0, 80)}`);
    } catch (e) {
      if (e instanceof HttpError) return fail(res, e);
      log.error('request failed', { error: (e as Error).message });
      return fail(res, new HttpError(500, 'internal error'));
    }
  };

  const fail = (res: ServerResponse, error: HttpError) => {
    http.rejected++;
    log.debug('http rejected', { status: error.status, reason: error.message });
    res.statusCode = error.status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify({ error: error.message }));
  };

  const asset = (req: IncomingMessage, res: ServerResponse, name: string, url: URL) => {
    if (name === 'index.html') orgParam(url);
    const file = assets.get(name);
    if (!file) throw new HttpError(404, `no such asset: ${name.slice(0, 80)}`);
    res.setHeader('Content-Type', file.type);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Length', file.body.length);
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const json = (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const text = Buffer.from(JSON.stringify(body));
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Length', text.length);
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  const stream = (req: IncomingMessage, res: ServerResponse, org: string | undefined, session: Session) => {
    if (req.method === 'HEAD') throw new HttpError(405, 'the stream is GET only');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    // Pending deltas are already part of the snapshot; a later flush repeats them harmlessly (rows are whole).
    res.write(`retry: 2000\nevent: snapshot\ndata: ${JSON.stringify(snapshot(org, session))}\n\n`);
    const orgs = session.orgs === '*' ? '*' : session.orgs.join(',');
    const view = `${session.role}|${orgs}|${session.ext ?? ''}|${org ?? ''}`;
    const entry: Stream = { res, org, session, view };
    streams.add(entry);
    res.on('close', () => streams.delete(entry));
  };

  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'send application/json');
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY)
      throw new HttpError(413, `body larger than ${MAX_BODY} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) throw new HttpError(413, `body larger than ${MAX_BODY} bytes`);
      chunks.push(chunk);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new HttpError(400, 'body is not JSON');
    }
  };
  const parseBody = async <T>(req: IncomingMessage, schema: ZodType<T>): Promise<T> => {
    const parsed = schema.safeParse(await readJson(req));
    if (!parsed.success) throw new HttpError(400, issues(parsed.error));
    return parsed.data;
  };

  const now = options.now ?? Date.now;
  /** What the board writes by counts: presences, messages taken, messages handled (board or desk). */
  const writes = { presence: 0, message: 0, handled: 0 };
  const currentMwi = (org: string, ext: string): Mwi | null => {
    const row = model.row(org, ext);
    return row ? { v: 1, voicemail: row.voicemail, messages: row.phoneMessages ?? [] } : null;
  };
  /** Applied to the model before it is sent, so the next write reads it even before the broker's echo
   * (two messages taken in quick succession must not overwrite each other). */
  const commit = async (message: Message) => {
    if (!ingest.connected()) throw new HttpError(503, 'the broker is unreachable; nothing was changed');
    model.apply(message);
    await ingest.publish(message);
  };
  const markHandled = async (org: string, ext: string, id: string) => {
    const mwi = withoutMessage(currentMwi(org, ext), id);
    if (!mwi) return false;
    await commit({ kind: 'mwi', org, ext, body: mwi });
    writes.handled++;
    return true;
  };

  const write = async (req: IncomingMessage, res: ServerResponse, path: string, session: Session) => {
    const [, kind, org = '', ext = '', rawId, handled] = WRITE_PATH.exec(path) ?? [];
    if (!SEGMENT_PATTERNS.org.test(org) || !SEGMENT_PATTERNS.ext.test(ext))
      throw new HttpError(400, 'org: lower-case letters, digits, -; ext: 1-15 digits');
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    // Marking one's own message handled is the recipient's right too; everything else is the operator's.
    const mayAct = handled
      ? canSeeMessages(session.role, session, ext, org)
      : ACTING_ROLES.includes(session.role) && canSeeOrg(session, org);
    if (!mayAct) throw new HttpError(403, `the ${session.role} role may not do this`);
    if (!auth.checkCsrf(req, res, session)) {
      http.rejected++;
      return;
    }
    if ((options.orgs?.length && !options.orgs.includes(org)) || !model.row(org, ext))
      throw new HttpError(404, `no extension ${ext} in ${org} on this board`);
    const at = new Date(now());
    const policy = policyFromOrg(model.orgs.get(org));
    const actor: Actor = { kind: 'operator', id: session.username };
    if (kind === 'presence') {
      const request = await parseBody(req, PresenceRequest);
      const made = presenceOnBehalf(model.currentPresence(org, ext), request, { now: at, policy, actor });
      if (!made.ok) throw new HttpError(400, made.error);
      await commit({ kind: 'presence', org, ext, body: made.value });
      writes.presence++;
      log.info('referral set on behalf', { org, ext, by: session.username, reason: made.value.reason });
      return json(req, res, { presence: made.value });
    }
    if (handled && id !== undefined) {
      req.resume();
      if (!(await markHandled(org, ext, id))) throw new HttpError(404, 'no such message');
      log.info('message handled from the board', { org, ext, by: session.username });
      return json(req, res, { handled: id });
    }
    const request = await parseBody(req, MessageRequest);
    const taken = takeMessage(currentMwi(org, ext), request, {
      now: at,
      policy,
      takenBy: session.name,
      id: randomUUID(),
    });
    if (!taken.ok) throw new HttpError(409, taken.error);
    await commit({ kind: 'mwi', org, ext, body: taken.value.mwi });
    writes.message++;
    log.info('message taken', { org, ext, by: session.username });
    res.statusCode = 201;
    return json(req, res, { message: taken.value.message });
  };

  // Started first: it validates the org list (a bad org throws here, before anything listens).
  const ingest = startIngest({
    brokerUrl: options.brokerUrl,
    model,
    ...(options.orgs ? { orgs: options.orgs } : {}),
  });
  // The page must say when the board itself lost the broker: what it shows is then the last known state.
  let brokerUp = false;
  const brokerStatus = (up: boolean) => {
    if (up === brokerUp) return;
    brokerUp = up;
    for (const stream of streams) send(stream, `event: status\ndata: ${JSON.stringify({ broker: up })}\n\n`);
  };
  // The board is the authority for phone messages: the desk's "handled" key asks it to drop one.
  ingest.client.on('message', (topic, payload) => {
    if (!topic.endsWith('/handled')) return;
    // Already counted by the model's receive() when malformed.
    const decoded = decode(topic, payload);
    if (!decoded.ok || decoded.message.kind !== 'mwi-handled') return;
    const { org, ext, body } = decoded.message;
    markHandled(org, ext, body.id).then(
      (done) => done && log.info('message handled from the desk', { org, ext, by: body.by.id }),
      (e: unknown) => log.warn('could not mark a message handled', { error: (e as Error).message }),
    );
  });
  ingest.client.on('connect', () => brokerStatus(true));
  ingest.client.on('offline', () => brokerStatus(false));
  ingest.client.on('close', () => brokerStatus(false));
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
    clearInterval(keepalive);
    clearInterval(sessionCheck);
    await ingest.close();
    throw e;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  log.info('board listening', { url, broker: options.brokerUrl });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    model,
    rejections,
    ingest,
    auth,
    close() {
      closing ??= (async () => {
        clearInterval(keepalive);
        clearInterval(sessionCheck);
        if (timer) clearTimeout(timer);
        for (const s of streams) s.res.end();
        streams.clear();
        await ingest.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
