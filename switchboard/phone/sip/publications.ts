// Referrals: a PUBLISH (RFC 3903) of the person's presence per extension, PIDF with RPID activities
// (bodies.ts), refreshed at 80 % of the granted expiry. One request at a time per extension (a change
// meanwhile goes out right after); 412 (the server forgot it) publishes it afresh; a clean stop
// withdraws them (Expires: 0).
import type { Referral } from '../port.js';
import { pidf } from './bodies.js';
import { type Endpoint, newTag } from './endpoint.js';
import type { SipLine } from './line.js';
import { header } from './message.js';

interface Publication {
  referral: Referral;
  callId: string;
  cseq: number;
  etag?: string;
  timer?: NodeJS.Timeout;
  busy: boolean;
  again: boolean;
}

export interface Publications {
  /** the person's latest referral; published now when `send` (the server is reachable), else kept */
  set(referral: Referral, send: boolean): void;
  /** publishes every referral afresh: the server has lost ours */
  renewAll(): void;
  stop(): void;
  /** withdraws every publication the server holds, so a bridge started after us is not aggregated with it */
  withdraw(endpoint: Endpoint): Promise<void>;
}

export function publishReferrals(line: SipLine): Publications {
  const pubs = new Map<string, Publication>();
  const headers = (ext: string, pub: Publication): [string, string][] => [
    ['From', `<${line.aor(ext)}>;tag=${newTag()}`],
    ['To', `<${line.aor(ext)}>`],
    ['Call-ID', pub.callId],
    ['CSeq', `${++pub.cseq} PUBLISH`],
    ['Event', 'presence'],
  ];

  async function publish(ext: string): Promise<void> {
    const pub = pubs.get(ext);
    const endpoint = line.live();
    if (!pub || !endpoint) return;
    if (pub.busy) {
      pub.again = true;
      return;
    }
    pub.busy = true;
    clearTimeout(pub.timer);
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const r = await endpoint.request(
          'PUBLISH',
          line.aor(ext),
          [
            ...headers(ext, pub),
            ['Content-Type', 'application/pidf+xml'],
            ['Expires', String(line.expires)],
            ...(pub.etag ? ([['SIP-If-Match', pub.etag]] as [string, string][]) : []),
          ],
          pidf(line.aor(ext), pub.referral),
        );
        // 412: the server forgot our publication (a restart): publish it fresh
        if (r.status === 412) {
          delete pub.etag;
          continue;
        }
        if (r.status >= 300) throw new Error(`PUBLISH ${ext}: ${r.status} ${r.reason}`);
        const etag = header(r, 'sip-etag');
        if (etag) pub.etag = etag;
        pub.timer = setTimeout(() => void publish(ext), line.refreshIn(r));
        break;
      }
    } catch (e) {
      line.fault(e as Error);
      pub.timer = setTimeout(() => void publish(ext), line.retryMs);
    } finally {
      pub.busy = false;
      if (pub.again) {
        pub.again = false;
        void publish(ext);
      }
    }
  }

  return {
    set(referral, send) {
      const pub = pubs.get(referral.ext) ?? {
        referral,
        callId: `${newTag()}@hanvisa`,
        cseq: 0,
        busy: false,
        again: false,
      };
      pub.referral = referral;
      pubs.set(referral.ext, pub);
      if (send) void publish(referral.ext);
    },
    renewAll() {
      for (const [ext, pub] of pubs) {
        delete pub.etag;
        void publish(ext);
      }
    },
    stop() {
      for (const p of pubs.values()) clearTimeout(p.timer);
    },
    async withdraw(endpoint) {
      await Promise.all(
        [...pubs].map(([ext, pub]) =>
          pub.etag
            ? endpoint
                .request('PUBLISH', line.aor(ext), [
                  ...headers(ext, pub),
                  ['Expires', '0'],
                  ['SIP-If-Match', pub.etag],
                ])
                .catch(() => {})
            : undefined,
        ),
      );
    },
  };
}
