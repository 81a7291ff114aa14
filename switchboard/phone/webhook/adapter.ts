// The webhook adapter, for hosted PBXs and contact-centre systems that speak HTTP rather than SIP:
// they POST queue snapshots, call events and voicemail counts (schemas.ts), signed (signature.ts);
// referral changes go back to their webhook (outbound.ts). A bad request is refused with a clear
// 4xx and changes nothing; a repeated event id, or a queue snapshot or voicemail count older than the
// one applied for that queue or extension, is acknowledged and ignored, across restarts too (the event
// ledger, event-ledger.ts). The link is up while the phone system has sent a valid request (a heartbeat
// at least) within `silenceSeconds`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLogger } from '../../../log/logger.js';
import { issueLines } from '../../../protocol/issues.js';
import { HttpError, readBody } from '../../http-body.js';
import type { PhoneListener, PhoneSystem } from '../port.js';
import { type LedgerEvent, openEventLedger } from './event-ledger.js';
import { createOutbound, type Outbound } from './outbound.js';
import { InboundEvent } from './schemas.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './signature.js';

export interface WebhookConfig {
  org: string;
  host?: string;
  /** 0: a free port */
  port: number;
  /** the shared secret for both directions */
  secret: string;
  replayWindowSeconds?: number;
  /** where the event ledger survives restarts; none: in memory only (a restart forgets it) */
  ledgerFile?: string;
  silenceSeconds?: number;
  maxBodyBytes?: number;
  /** the phone system's webhook for referral changes; none: referrals are not sent */
  out?: {
    url: string;
    undeliverablePath?: string;
    attempts?: number;
    retryMs?: { min: number; max: number };
  };
  now?: () => number;
}

export type WebhookRefusal =
  | 'signature'
  | 'replay'
  | 'too-large'
  | 'malformed'
  | 'not-found'
  | 'method'
  | 'unavailable';

export interface WebhookPhone extends PhoneSystem {
  /** where the phone system posts, once open */
  url(): string;
  refused(): Record<WebhookRefusal, number>;
  duplicates(): number;
  /** queue snapshots and voicemail counts older than the one applied, acknowledged and ignored */
  superseded(): number;
  undeliverable(): number;
}

export const EVENTS_PATH = '/v1/events';

export function createWebhookPhone(config: WebhookConfig): WebhookPhone {
  const now = config.now ?? Date.now;
  const windowSeconds = config.replayWindowSeconds ?? 300;
  const silenceMs = (config.silenceSeconds ?? 120) * 1000;
  const log = createLogger(`phone-webhook:${config.org}`);
  const refused: Record<WebhookRefusal, number> = {
    signature: 0,
    replay: 0,
    'too-large': 0,
    malformed: 0,
    'not-found': 0,
    method: 0,
    unavailable: 0,
  };
  // an id older than twice the replay window cannot come back: its signature's timestamp is refused
  const ledger = openEventLedger({
    ...(config.ledgerFile ? { file: config.ledgerFile } : {}),
    keepMs: 2 * windowSeconds * 1000,
    now,
  });
  let duplicates = 0;
  let superseded = 0;
  let server: Server | undefined;
  let listener: PhoneListener | undefined;
  let outbound: Outbound | undefined;
  let silence: NodeJS.Timeout | undefined;
  let up = false;

  const heard = () => {
    if (!up) {
      up = true;
      listener?.link(true);
    }
    clearTimeout(silence);
    silence = setTimeout(() => {
      up = false;
      listener?.link(false, `no request from the phone system for ${silenceMs / 1000} s`);
    }, silenceMs);
  };

  const refuse = (res: ServerResponse, status: number, error: WebhookRefusal, message: string) => {
    refused[error]++;
    log.warn('webhook refused', { error, message });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error, message }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== EVENTS_PATH) return refuse(res, 404, 'not-found', `POST events to ${EVENTS_PATH}`);
    if (req.method !== 'POST') return refuse(res, 405, 'method', 'only POST');
    let body: string;
    try {
      body = await readBody(req, config.maxBodyBytes ?? 64 * 1024);
    } catch (e) {
      if (e instanceof HttpError && e.status === 413) return refuse(res, 413, 'too-large', e.message);
      throw e;
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const verdict = verify(
      config.secret,
      { signature: header(SIGNATURE_HEADER), timestamp: header(TIMESTAMP_HEADER) },
      body,
      now(),
      windowSeconds,
    );
    if (!verdict.ok) return refuse(res, 401, verdict.error, verdict.message);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return refuse(res, 400, 'malformed', 'body is not JSON');
    }
    const parsed = InboundEvent.safeParse(json);
    if (!parsed.success) {
      const [issue = 'body: invalid'] = issueLines(parsed.error, { max: 1, root: 'body' });
      return refuse(res, 400, 'malformed', issue);
    }
    const event = parsed.data;
    const entry = ledgerEvent(event);
    // a clock far ahead would make every later event of its queue or extension look older
    if (entry.at > now() + windowSeconds * 1000)
      return refuse(res, 400, 'malformed', `at: more than ${windowSeconds} s ahead of our clock`);
    heard();
    const judged = ledger.judge(entry);
    if (judged === 'new') {
      try {
        ledger.record(entry);
      } catch (e) {
        // the vendor learns that it should retry; the cause (a full disk, a path) stays in our log
        log.error('webhook event ledger not saved', { error: (e as Error).message });
        return refuse(res, 503, 'unavailable', 'the event could not be recorded; nothing changed, retry it');
      }
      deliver(event);
    } else if (judged === 'duplicate') duplicates++;
    else superseded++;
    const answer = {
      ok: true,
      duplicate: judged === 'duplicate',
      ...(judged === 'superseded' ? { superseded: true } : {}),
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  };

  const deliver = (e: InboundEvent) => {
    const ms = (iso: string) => Date.parse(iso);
    if (e.type === 'queue')
      listener?.queue({
        queueId: e.queue,
        ...(e.name !== undefined ? { name: e.name } : {}),
        waiting: e.waiting,
        oldestSince: e.oldestSince === null ? null : ms(e.oldestSince),
        ...(e.calls ? { calls: e.calls } : {}),
      });
    else if (e.type === 'call')
      listener?.call({
        id: e.id,
        queueId: e.queue,
        call: e.call,
        event: e.event,
        at: ms(e.at),
        ...(e.enteredAt !== undefined ? { enteredAt: ms(e.enteredAt) } : {}),
        ...(e.position !== undefined ? { position: e.position } : {}),
        ...(e.ext !== undefined ? { ext: e.ext } : {}),
      });
    else if (e.type === 'voicemail') listener?.voicemail(e.ext, e.count);
  };

  return {
    system: 'webhook',
    async open(l) {
      listener = l;
      if (config.out)
        outbound = createOutbound({ ...config.out, secret: config.secret, org: config.org, log, now });
      server = createServer((req, res) => {
        handle(req, res).catch((e) => {
          log.error('webhook failed', { error: (e as Error).message });
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      await new Promise<void>((resolve) => server?.listen(config.port, config.host ?? '127.0.0.1', resolve));
      l.link(false, 'no request from the phone system yet');
    },
    url() {
      const a = server?.address();
      if (!a || typeof a === 'string') throw new Error('webhook adapter not open');
      return `http://${a.address}:${a.port}${EVENTS_PATH}`;
    },
    referralChanged: (referral) => outbound?.send(referral),
    serviceChanged: (service) => outbound?.sendService(service),
    refused: () => ({ ...refused }),
    duplicates: () => duplicates,
    superseded: () => superseded,
    undeliverable: () => outbound?.undeliverable() ?? 0,
    async close() {
      clearTimeout(silence);
      outbound?.close();
      const closing = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server?.closeAllConnections();
      await closing;
    },
  };
}

/** The ledger's view of an event: queue snapshots and voicemail counts set a value; calls and heartbeats do not. */
function ledgerEvent(e: InboundEvent): LedgerEvent {
  const at = Date.parse(e.at);
  if (e.type === 'queue') return { id: e.id, at, state: { kind: 'queues', key: e.queue } };
  if (e.type === 'voicemail') return { id: e.id, at, state: { kind: 'voicemail', key: e.ext } };
  return { id: e.id, at };
}
