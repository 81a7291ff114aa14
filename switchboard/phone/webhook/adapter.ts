// The webhook adapter, for hosted PBXs and contact-centre systems that speak HTTP rather than SIP:
// they POST queue snapshots, call events and voicemail counts (schemas.ts), signed (signature.ts);
// referral changes go back to their webhook (outbound.ts). A bad request is refused with a clear
// 4xx and changes nothing; a repeated event id is acknowledged and ignored. The link is up while
// the phone system has sent a valid request (a heartbeat at least) within `silenceSeconds`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLogger } from '../../../log/logger.js';
import { issueLines } from '../../../protocol/issues.js';
import { HttpError, readBody } from '../../http-body.js';
import type { PhoneListener, PhoneSystem } from '../port.js';
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

export type WebhookRefusal = 'signature' | 'replay' | 'too-large' | 'malformed' | 'not-found' | 'method';

export interface WebhookPhone extends PhoneSystem {
  /** where the phone system posts, once open */
  url(): string;
  refused(): Record<WebhookRefusal, number>;
  duplicates(): number;
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
  };
  /** event id → when seen; older than twice the replay window cannot come back (its timestamp is refused) */
  const seen = new Map<string, number>();
  let duplicates = 0;
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
    heard();
    const duplicate = seen.has(event.id);
    if (duplicate) duplicates++;
    else {
      seen.set(event.id, now());
      for (const [id, at] of seen) {
        if (now() - at <= 2 * windowSeconds * 1000) break; // insertion order: the rest are newer
        seen.delete(id);
      }
      deliver(event);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, duplicate }));
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
    refused: () => ({ ...refused }),
    duplicates: () => duplicates,
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
