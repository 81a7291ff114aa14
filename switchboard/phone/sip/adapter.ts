// The SIP adapter: any PBX or presence server that speaks the open standards. Its parts: voicemail
// counts from message-summary subscriptions (voicemail.ts), each watched line from dialog subscriptions
// (dialogs.ts), referrals as presence publications
// (publications.ts), and here an OPTIONS keepalive that tells whether the server is reachable; when it
// comes back, every subscription is made anew (a restart loses them) and every publication refreshed,
// in place where the server still holds it (its entity tags are kept, across a bridge restart too).
// It also answers the PBX's routing INVITEs as a redirect server (redirect.ts).
import type { PhoneListener, PhoneSystem } from '../port.js';
import { callTargets } from './call-targets.js';
import { watchLines } from './dialogs.js';
import type { Credentials } from './digest.js';
import { type Endpoint, newTag, openEndpoint, type Request } from './endpoint.js';
import { grantedExpires, type SipLine } from './line.js';
import { openPublicationStore } from './publication-store.js';
import { publishReferrals } from './publications.js';
import { answerInvite } from './redirect.js';
import { watchVoicemail } from './voicemail.js';
import type { TransportName } from './wire.js';

export interface SipConfig {
  server: { host: string; port: number };
  /** the SIP domain of the extensions: sip:{ext}@{domain} */
  domain: string;
  /** the extensions whose voicemail (and line) to watch; the bridge adds each person it hears of */
  extensions: readonly string[];
  /** the address to listen on for NOTIFY (must be reachable from the server) */
  localHost: string;
  localPort?: number;
  /** our user part in From/Contact (default: the credentials' username, else hanvisa) */
  user?: string;
  expires?: number;
  keepaliveMs?: number;
  /** default udp; over TLS the server's certificate is verified (against `tls.ca`, else the system's CAs) */
  transport?: TransportName;
  tls?: { ca?: Buffer; servername?: string };
  /** the bridge's SIP account, for the server's digest challenges */
  credentials?: Credentials;
  /** where the publications' entity tags are kept across restarts (none: in memory only) */
  stateFile?: string;
  now?: () => number;
  timeoutMs?: number;
}

export function createSipPhone(config: SipConfig): PhoneSystem {
  const expires = config.expires ?? 3600;
  const keepaliveMs = config.keepaliveMs ?? 10_000;
  const user = config.user ?? config.credentials?.username ?? 'hanvisa';
  let endpoint: Endpoint | undefined;
  let listener: PhoneListener | undefined;
  let up: boolean | undefined;
  let keepalive: NodeJS.Timeout | undefined;
  let closed = false;

  const line: SipLine = {
    live: () => (closed ? undefined : endpoint),
    expires,
    retryMs: keepaliveMs,
    aor: (ext) => `sip:${ext}@${config.domain}`,
    from: () => `<sip:${user}@${config.domain}>`,
    contact: () =>
      `<sip:${user}@${endpoint?.local.host}:${endpoint?.local.port}${endpoint?.uriParams ?? ''}>`,
    refreshIn: (r) => Math.max(1, Math.floor(grantedExpires(r, expires) * 0.8)) * 1000,
    fault: (error) => listener?.fault(error),
  };
  const voicemail = watchVoicemail(line, config.extensions, (ext, count) => listener?.voicemail(ext, count));
  const now = config.now ?? Date.now;
  const store = openPublicationStore(config.stateFile, now);
  const referrals = publishReferrals(line, store, now);
  // where our redirects sent each call: its dialogs count for that phone (call-targets.ts)
  const targets = callTargets();
  const lines = watchLines(
    line,
    {
      line: (ext, state, at) => listener?.line(ext, state, at),
      extCall: (event) => listener?.extCall(event),
    },
    now,
    targets,
  );
  // the configured extensions' lines too, whether or not the broker names them
  for (const ext of config.extensions) lines.add(ext, false);
  const answer = (request: Request) =>
    request.method !== 'NOTIFY'
      ? { status: 405, reason: 'Method Not Allowed' }
      : (voicemail.onRequest(request) ??
        lines.onRequest(request) ?? { status: 481, reason: 'Subscription Does Not Exist' });

  async function ping(): Promise<void> {
    const live = line.live();
    if (!live) return;
    try {
      const r = await live.request('OPTIONS', `sip:${config.domain}`, [
        ['From', `${line.from()};tag=${newTag()}`],
        ['To', `<sip:${config.domain}>`],
        ['Call-ID', `${newTag()}@hanvisa`],
        ['CSeq', '1 OPTIONS'],
      ]);
      if (r.status >= 500) throw new Error(`OPTIONS: ${r.status} ${r.reason}`);
      if (up !== true) {
        up = true;
        listener?.link(true);
        // a server that was away has lost everything we told it
        voicemail.renewAll();
        lines.renewAll();
        referrals.renewAll();
      }
    } catch (e) {
      if (up !== false) {
        up = false;
        listener?.link(false, (e as Error).message);
      }
    }
    if (!closed) keepalive = setTimeout(() => void ping(), keepaliveMs);
  }

  return {
    system: 'sip',
    async open(l) {
      listener = l;
      endpoint = await openEndpoint({
        host: config.localHost,
        port: config.localPort ?? 0,
        server: config.server,
        timeoutMs: config.timeoutMs ?? 4000,
        // a call to route (the PBX consults us as its redirect server) and a keepalive of ours (an
        // Asterisk qualify skips a bridge that does not answer), else a NOTIFY
        onRequest: (r) => {
          if (r.method === 'INVITE')
            return answerInvite(r, config.domain, listener, (q, d) =>
              targets.sent(q.call, q.called, d.target, now()),
            );
          if (r.method === 'OPTIONS') return { status: 200, reason: 'OK' };
          return answer(r);
        },
        onBadDatagram: (e) => l.fault(e),
        ...(config.credentials ? { credentials: config.credentials } : {}),
        ...(config.transport ? { transport: config.transport } : {}),
        ...(config.tls ? { tls: config.tls } : {}),
      });
      void ping();
    },
    referralChanged: (referral) => referrals.set(referral, up === true),
    watchLine: (ext) => lines.add(ext, up === true),
    async close() {
      closed = true;
      clearTimeout(keepalive);
      voicemail.stop();
      lines.stop();
      referrals.stop();
      // a crash leaves our publications until the next start modifies them (their tags are kept) or they expire
      if (up && endpoint) await referrals.withdraw(endpoint);
      store.flush();
      await endpoint?.close();
      endpoint = undefined;
    },
  };
}
