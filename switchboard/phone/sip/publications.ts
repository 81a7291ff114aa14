// Referrals: a PUBLISH (RFC 3903) of the person's presence per extension, PIDF with RPID activities
// (bodies.ts), refreshed at 80 % of the granted expiry. One request at a time per extension (a change
// meanwhile goes out right after). Each publication's entity tag outlives a lost link and a bridge
// restart (publication-store.ts), so the PBX's copy is always modified in place (SIP-If-Match) and never
// left beside a new one; 412 (the server no longer holds it: its store was lost, or it expired) drops
// the tag and publishes afresh. A clean stop withdraws them (Expires: 0).
import type { Referral } from '../port.js';
import { pidf } from './bodies.js';
import { type Endpoint, newTag } from './endpoint.js';
import { grantedExpires, type SipLine } from './line.js';
import { cseqNumber, header } from './message.js';
import type { Held, PublicationStore } from './publication-store.js';

interface Publication {
  /** none yet: a publication held from before a restart, waiting for the person's referral */
  referral?: Referral;
  callId: string;
  cseq: number;
  held?: Held;
  timer?: NodeJS.Timeout;
  busy: boolean;
  again: boolean;
  /** the request under way: a withdrawal waits for it, or its answer would hold a copy withdrawn too early */
  inflight?: Promise<void>;
}

export interface Publications {
  /** the person's latest referral; published now when `send` (the server is reachable), else kept */
  set(referral: Referral, send: boolean): void;
  /** publishes every referral again, in place where the server still holds it: the link is back */
  renewAll(): void;
  stop(): void;
  /** withdraws every publication the server holds, so a bridge started after us is not aggregated with it */
  withdraw(endpoint: Endpoint): Promise<void>;
}

export function publishReferrals(line: SipLine, store: PublicationStore, now: () => number): Publications {
  const fresh = (): Publication => ({ callId: `${newTag()}@hanvisa`, cseq: 0, busy: false, again: false });
  const pubs = new Map<string, Publication>(
    [...store.loaded].map(([ext, held]) => [ext, { ...fresh(), held }]),
  );
  /** the tag while the server may still hold it (an expired one would only earn a 412) */
  const etagOf = (pub: Publication) => (pub.held && pub.held.expiresAt > now() ? pub.held.etag : undefined);
  const hold = (ext: string, pub: Publication, held: Held | undefined) => {
    if (held) pub.held = held;
    else delete pub.held;
    store.save(ext, held);
  };
  const headers = (ext: string, pub: Publication): [string, string][] => [
    ['From', `<${line.aor(ext)}>;tag=${newTag()}`],
    ['To', `<${line.aor(ext)}>`],
    ['Call-ID', pub.callId],
    ['CSeq', `${++pub.cseq} PUBLISH`],
    ['Event', 'presence'],
  ];

  let stopped = false;

  function publish(ext: string): Promise<void> {
    const pub = pubs.get(ext);
    const endpoint = line.live();
    if (stopped || !pub?.referral || !endpoint) return Promise.resolve();
    if (pub.busy) {
      pub.again = true;
      return pub.inflight ?? Promise.resolve();
    }
    pub.busy = true;
    clearTimeout(pub.timer);
    pub.inflight = send(ext, pub, endpoint, pub.referral);
    return pub.inflight;
  }

  async function send(ext: string, pub: Publication, endpoint: Endpoint, referral: Referral): Promise<void> {
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const etag = etagOf(pub);
        const r = await endpoint.request(
          'PUBLISH',
          line.aor(ext),
          [
            ...headers(ext, pub),
            ['Content-Type', 'application/pidf+xml'],
            ['Expires', String(line.expires)],
            ...(etag ? ([['SIP-If-Match', etag]] as [string, string][]) : []),
          ],
          pidf(line.aor(ext), pub.referral ?? referral),
        );
        // a digest challenge answered took the next number (endpoint.ts)
        pub.cseq = cseqNumber(r) ?? pub.cseq;
        // 412: the server does not hold it (it lost its store, or it expired): forget it, publish it fresh
        if (r.status === 412 && etag) {
          hold(ext, pub, undefined);
          continue;
        }
        if (r.status >= 300) throw new Error(`PUBLISH ${ext}: ${r.status} ${r.reason}`);
        const granted = header(r, 'sip-etag');
        if (granted)
          hold(ext, pub, { etag: granted, expiresAt: now() + grantedExpires(r, line.expires) * 1000 });
        if (!stopped) pub.timer = setTimeout(() => void publish(ext), line.refreshIn(r));
        break;
      }
    } catch (e) {
      // no answer (the link is down) or a refusal: the tag is kept, the server may well hold it
      line.fault(e as Error);
      if (!stopped) pub.timer = setTimeout(() => void publish(ext), line.retryMs);
    } finally {
      pub.busy = false;
      if (pub.again && !stopped) {
        pub.again = false;
        void publish(ext);
      }
    }
  }

  return {
    set(referral, send) {
      const pub = pubs.get(referral.ext) ?? fresh();
      pub.referral = referral;
      pubs.set(referral.ext, pub);
      if (send) void publish(referral.ext);
    },
    renewAll() {
      for (const ext of pubs.keys()) void publish(ext);
    },
    stop() {
      stopped = true;
      for (const p of pubs.values()) clearTimeout(p.timer);
    },
    async withdraw(endpoint) {
      // a PUBLISH still under way would answer with a tag after we withdrew the one we know
      await Promise.all([...pubs.values()].map((p) => p.inflight));
      await Promise.all(
        [...pubs].map(async ([ext, pub]) => {
          const etag = etagOf(pub);
          if (!etag) return;
          const r = await endpoint
            .request('PUBLISH', line.aor(ext), [
              ...headers(ext, pub),
              ['Expires', '0'],
              ['SIP-If-Match', etag],
            ])
            .catch(() => undefined);
          // unanswered: kept, so that the next start modifies it rather than adding a copy
          if (r && (r.status < 300 || r.status === 412)) hold(ext, pub, undefined);
        }),
      );
    },
  };
}
