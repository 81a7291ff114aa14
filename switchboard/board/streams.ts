// The Server-Sent Events hub: each stream gets a snapshot, then the model's deltas gathered for a
// batch and redacted once per view (streams with the same view get the same bytes), keepalives, and
// the broker's status. Streams of an ended session, or of a client that cannot keep up, are closed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger } from '../../log/logger.js';
import type { Auth, Session } from '../auth/index.js';
import { HttpError } from './http.js';
import type { BoardModel, Delta } from './model.js';
import { type Redaction, sees, viewOf, type WireDelta } from './wire.js';

interface Stream {
  res: ServerResponse;
  /**
   * What is still buffered of the snapshot: not counted as falling behind. A page opened during heavy
   * traffic would otherwise be dropped by the first batch while its (10 MB) snapshot is on its way.
   * Zero once the snapshot has drained.
   */
  snapshotBytes: number;
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
    case 'phone-link':
      return `p:${d.org}`;
    case 'call':
      return `c:${d.org}/${d.call.id}`;
  }
}

const deltaOrg = (d: Delta | WireDelta) => (d.type === 'row' ? d.row.org : d.org);

const log = createLogger('board');

export interface StreamHubOptions {
  model: BoardModel;
  auth: Auth;
  redaction: Redaction;
  /** what a new stream starts with, as JSON (built once per view, not per stream) */
  snapshot: (org: string | undefined, session: Session) => string;
  /** at most one event per this many ms; a change after a quiet spell goes out at once */
  batchMs: number;
  /** how often open streams are checked for an expired session */
  sessionCheckMs: number;
  /** how far a stream may fall behind (bytes buffered beyond its snapshot) before it is dropped */
  backlogBytes: number;
}

export interface StreamHub {
  /**
   * Answers GET /api/stream: the response becomes a stream, starting with the snapshot, or with `ready`
   * when the page fetches its snapshot itself (after `ready`, so no delta falls between the two).
   */
  open(
    req: IncomingMessage,
    res: ServerResponse,
    org: string | undefined,
    session: Session,
    withSnapshot: boolean,
  ): void;
  /** Tells every stream whether the board has the broker (sent only on a change). */
  brokerStatus(up: boolean): void;
  /** Ends the streams whose session expired or logged out. */
  endDeadStreams(): void;
  readonly size: number;
  close(): void;
}

export function createStreamHub(options: StreamHubOptions): StreamHub {
  const { model, auth, redaction } = options;
  const streams = new Set<Stream>();

  // Deltas gathered per key: a person changing five times within one batch costs one row on the wire.
  let pending = new Map<string, Delta>();
  let timer: NodeJS.Timeout | undefined;
  // The window bounds the event rate, not the latency: a change after a quiet spell is sent on the
  // next turn of the event loop (with whatever the same turn brought), later ones wait for the window.
  let lastFlush = Number.NEGATIVE_INFINITY;
  const flush = () => {
    timer = undefined;
    lastFlush = performance.now();
    const batch = [...pending.values()];
    pending = new Map();
    const chunks = new Map<string, string | null>();
    for (const stream of streams) {
      let chunk = chunks.get(stream.view);
      if (chunk === undefined) {
        const mine = batch
          .filter((d) => sees(stream.session, stream.org, deltaOrg(d)))
          .map((d) => redaction.delta(d, stream.session));
        chunk = mine.length ? `event: delta\ndata: ${JSON.stringify(mine)}\n\n` : null;
        chunks.set(stream.view, chunk);
      }
      if (chunk) send(stream, chunk);
    }
  };
  // A stream whose client cannot keep up is dropped (it reconnects and gets a fresh snapshot), so one
  // sleeping laptop cannot grow the server's memory: at most its snapshot plus the backlog limit.
  const send = (stream: Stream, chunk: string) => {
    if (stream.res.writableLength > stream.snapshotBytes + options.backlogBytes) {
      log.warn('dropping a board stream that does not keep up');
      remove(stream);
      stream.res.destroy();
      return;
    }
    stream.res.write(chunk);
  };
  // The hub listens only while it has streams: a model nobody listens to builds no rows or deltas
  // per message (the cold start of 50,000 people).
  let unlisten: (() => void) | undefined;
  const add = (stream: Stream) => {
    streams.add(stream);
    unlisten ??= model.listen((delta) => {
      const k = deltaKey(delta);
      pending.delete(k);
      pending.set(k, delta);
      timer ??= setTimeout(flush, Math.max(0, lastFlush + options.batchMs - performance.now()));
    });
  };
  const remove = (stream: Stream) => {
    streams.delete(stream);
    if (streams.size > 0 || !unlisten) return;
    unlisten();
    unlisten = undefined;
  };
  const keepalive = setInterval(() => {
    for (const stream of streams) send(stream, ': keepalive\n\n');
  }, 20_000);
  // A stream outlives the request that opened it: end those whose session expired or logged out.
  const endDeadStreams = () => {
    if (auth.openAccess) return;
    for (const stream of streams) {
      if (auth.sessions.alive(stream.session.id)) continue;
      log.info('closing the stream of an ended session', { username: stream.session.username });
      remove(stream);
      stream.res.end();
    }
  };
  const sessionCheck = setInterval(endDeadStreams, options.sessionCheckMs);

  // The page must say when the board itself lost the broker: what it shows is then the last known state.
  let brokerUp = false;

  return {
    open(req, res, org, session, withSnapshot) {
      if (req.method === 'HEAD') throw new HttpError(405, 'the stream is GET only');
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      req.socket.setNoDelay(true);
      // Pending deltas are already part of the snapshot; a later flush repeats them harmlessly (rows are
      // whole). A snapshot fetched after `ready` is newer than the stream's start, so the deltas the page
      // holds until it arrives, applied after it in order, end where the board is.
      const first = withSnapshot
        ? `event: snapshot\ndata: ${options.snapshot(org, session)}`
        : 'event: ready\ndata: {}';
      const flushed = res.write(`retry: 2000\n${first}\n\n`);
      const view = viewOf(session, org);
      // Deltas queue behind the snapshot in the same buffer (in order, nothing held per stream); only
      // what piles up beyond the snapshot counts, and once it has drained the plain limit applies.
      const entry: Stream = { res, org, session, view, snapshotBytes: flushed ? 0 : res.writableLength };
      if (!flushed)
        res.once('drain', () => {
          entry.snapshotBytes = 0;
        });
      add(entry);
      res.on('close', () => remove(entry));
    },
    brokerStatus(up) {
      if (up === brokerUp) return;
      brokerUp = up;
      for (const stream of streams)
        send(stream, `event: status\ndata: ${JSON.stringify({ broker: up })}\n\n`);
    },
    endDeadStreams,
    get size() {
      return streams.size;
    },
    close() {
      clearInterval(keepalive);
      clearInterval(sessionCheck);
      if (timer) clearTimeout(timer);
      for (const s of streams) s.res.end();
      streams.clear();
      unlisten?.();
      unlisten = undefined;
    },
  };
}
