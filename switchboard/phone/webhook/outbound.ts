// Referral changes out to the phone system's webhook: one signed POST per change, retried with
// doubling delays; a newer change for the same extension replaces one still waiting (the phone
// system needs the current referral, not the history). The switchboard's open/closed/lunch state goes
// the same way, a newer state replacing one still waiting. What could not be delivered after the last
// attempt is appended to a JSON-lines file and logged.
import { appendFile } from 'node:fs/promises';
import type { Logger } from '../../../log/logger.js';
import type { SwitchboardService } from '../../../protocol/index.js';
import { referralNote, shownLabel } from '../note.js';
import type { Referral } from '../port.js';
import type { OutboundReferral, OutboundService } from './schemas.js';
import { SIGNATURE_HEADER, sign, TIMESTAMP_HEADER } from './signature.js';

export interface OutboundOptions {
  url: string;
  secret: string;
  org: string;
  /** where undeliverable referrals go, one JSON object a line */
  undeliverablePath?: string;
  attempts?: number;
  retryMs?: { min: number; max: number };
  log: Logger;
  now?: () => number;
}

type OutboundBody = OutboundReferral | OutboundService;
/** What a newer body replaces while waiting: the same extension's referral, or the service state. */
const slotOf = (body: OutboundBody) => (body.type === 'referral' ? body.ext : ':service');

export interface Outbound {
  send(referral: Referral): void;
  sendService(service: SwitchboardService): void;
  /** referrals given up on since start (also in the undeliverable file) */
  undeliverable(): number;
  close(): void;
}

export function referralBody(org: string, r: Referral, at: number): OutboundReferral {
  const p = r.presence;
  const note = referralNote(r);
  const label = shownLabel(r);
  return {
    v: 1,
    type: 'referral',
    id: `${org}-${r.ext}-${p.seq}-${p.by.kind}`,
    org,
    ext: r.ext,
    status: p.status,
    reason: p.status === 'away' ? (r.private ? 'away' : p.reason) : null,
    ...(label ? { label } : {}),
    until: p.until,
    ...(note ? { note } : {}),
    alt: p.alt,
    at: new Date(at).toISOString(),
  };
}

export function createOutbound(options: OutboundOptions): Outbound {
  const now = options.now ?? Date.now;
  const attempts = options.attempts ?? 6;
  // doubling delays between attempts
  const retry = options.retryMs ?? { min: 1000, max: 60_000 };
  const latest = new Map<string, OutboundBody>();
  const timers = new Set<NodeJS.Timeout>();
  let given = 0;
  let closed = false;

  const giveUp = async (body: OutboundBody, reason: string) => {
    given++;
    options.log.warn(`${body.type} webhook undeliverable`, { slot: slotOf(body), id: body.id, reason });
    if (options.undeliverablePath)
      await appendFile(
        options.undeliverablePath,
        `${JSON.stringify({ at: new Date(now()).toISOString(), failure: reason, [body.type]: body })}\n`,
      ).catch((e) =>
        options.log.error('cannot write the undeliverable log', { error: (e as Error).message }),
      );
  };

  const attempt = async (body: OutboundBody, n: number): Promise<void> => {
    if (closed || latest.get(slotOf(body)) !== body) return; // superseded by a newer change
    const text = JSON.stringify(body);
    const timestamp = Math.floor(now() / 1000);
    let failure: string;
    try {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: sign(options.secret, timestamp, text),
          [TIMESTAMP_HEADER]: String(timestamp),
        },
        body: text,
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      if (res.ok) {
        if (latest.get(slotOf(body)) === body) latest.delete(slotOf(body));
        return;
      }
      // 4xx other than 408/429 will not get better by retrying
      if (res.status < 500 && res.status !== 408 && res.status !== 429)
        return giveUp(body, `HTTP ${res.status}`);
      failure = `HTTP ${res.status}`;
    } catch (e) {
      failure = (e as Error).message;
    }
    if (n + 1 >= attempts) return giveUp(body, failure);
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void attempt(body, n + 1);
      },
      Math.min(retry.min * 2 ** n, retry.max),
    );
    timers.add(timer);
  };

  return {
    send(referral) {
      const body = referralBody(options.org, referral, now());
      latest.set(referral.ext, body);
      void attempt(body, 0);
    },
    sendService(service) {
      const body: OutboundService = {
        v: 1,
        type: 'service',
        id: `${options.org}-service-${Date.parse(service.since)}`,
        org: options.org,
        state: service.state,
        since: service.since,
        ...(service.until ? { until: service.until } : {}),
        at: new Date(now()).toISOString(),
      };
      latest.set(slotOf(body), body);
      void attempt(body, 0);
    },
    undeliverable: () => given,
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
    },
  };
}
