// The operators' board service: node:http, no framework. Serves the page's static files, a JSON
// snapshot, and a Server-Sent Events stream (a snapshot first, then batched deltas), all fed by the
// in-memory model that the ingest keeps current from the broker.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, DEFAULT_REASONS, RejectionCounter, SEGMENT_PATTERNS } from '../../protocol/index.js';
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
}

export interface Board {
  url: string;
  port: number;
  model: BoardModel;
  rejections: RejectionCounter;
  ingest: Ingest;
  close(): Promise<void>;
}

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
  const rejections = new RejectionCounter(createLogger('board-mqtt'));
  const model = new BoardModel(rejections);
  const http = { rejected: 0 };
  const streams = new Set<Stream>();
  const batchMs = options.batchMs ?? 25;

  const deskLink = (row: Row): string | undefined => {
    const url = options.deskLinks?.(row.ext, row.org);
    return url && /^https?:\/\//.test(url) ? url : undefined;
  };
  const present = (row: Row): WireRow => {
    const wire = compact(row);
    const desk = deskLink(row);
    if (desk) wire.desk = desk;
    return wire;
  };
  const presentDelta = (d: Delta): WireDelta =>
    d.type === 'row' ? { type: d.type, row: present(d.row) } : d;

  // Deltas gathered per key: a person changing five times within one batch costs one row on the wire.
  let pending = new Map<string, Delta>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = [...pending.values()].map(presentDelta);
    pending = new Map();
    if (streams.size === 0) return;
    const all = `event: delta\ndata: ${JSON.stringify(batch)}\n\n`;
    for (const stream of streams) {
      if (stream.org) {
        const mine = batch.filter((d) => deltaOrg(d) === stream.org);
        if (mine.length) send(stream, `event: delta\ndata: ${JSON.stringify(mine)}\n\n`);
      } else {
        send(stream, all);
      }
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

  const snapshot = (org: string | undefined) => {
    const s = model.snapshot();
    const inOrg = <T extends { org: string }>(items: T[]) =>
      org ? items.filter((i) => i.org === org) : items;
    return {
      orgs: org ? Object.fromEntries(Object.entries(s.orgs).filter(([o]) => o === org)) : s.orgs,
      departments: inOrg(s.departments),
      queues: inOrg(s.queues),
      rows: inOrg(s.rows).map(present),
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
    const intercept = options.intercept;
    if (!intercept) return route(req, res, url);
    Promise.resolve()
      .then(() => intercept(req, res, url))
      .then(
        (answered) => {
          if (!answered) route(req, res, url);
        },
        (e: unknown) => {
          log.error('intercept failed', { error: (e as Error).message });
          if (!res.headersSent) fail(res, new HttpError(500, 'internal error'));
          else res.destroy();
        },
      );
  };

  const route = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        throw new HttpError(405, `method ${req.method} not allowed: the board is read-only`);
      }
      const path = url.pathname;
      if (path === '/' || path === '/index.html') return asset(req, res, 'index.html', url);
      if (path.startsWith('/assets/')) return asset(req, res, path.slice('/assets/'.length), url);
      if (path === '/favicon.ico') return asset(req, res, 'favicon.svg', url);
      if (path === '/api/snapshot') return json(req, res, snapshot(orgParam(url)));
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
        });
      }
      if (path === '/api/stream') return stream(req, res, orgParam(url));
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

  const stream = (req: IncomingMessage, res: ServerResponse, org: string | undefined) => {
    if (req.method === 'HEAD') throw new HttpError(405, 'the stream is GET only');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    // Pending deltas are already part of the snapshot; a later flush repeats them harmlessly (rows are whole).
    res.write(`retry: 2000\nevent: snapshot\ndata: ${JSON.stringify(snapshot(org))}\n\n`);
    const entry: Stream = { res, org };
    streams.add(entry);
    res.on('close', () => streams.delete(entry));
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
    close() {
      closing ??= (async () => {
        clearInterval(keepalive);
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
