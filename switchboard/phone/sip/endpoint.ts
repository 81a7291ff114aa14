// A SIP endpoint over UDP, TCP or TLS (wire.ts): sends a request and resolves with its final response
// (on UDP retransmitting per RFC 3261 §17.1.2, timer E; always within a total timeout), and answers
// incoming requests (NOTIFY) through a handler. Only the server's addresses are heard: a datagram from
// any other host (a forged NOTIFY with a sniffed Call-ID, a forged 200) is dropped unanswered and
// reported; a stream is our own connection to the server. Messages that do not parse are reported,
// never thrown. Call-IDs, tags and branches are unguessable (crypto).
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { datagramWire } from './datagram-wire.js';
import { type Credentials, digestSession } from './digest.js';
import { formatMessage, type Headers, header, parseMessage, type SipMessage } from './message.js';
import { streamWire } from './stream-wire.js';
import type { Receive, TransportName } from './wire.js';

export type Request = Extract<SipMessage, { kind: 'request' }>;
export type Response = Extract<SipMessage, { kind: 'response' }>;

export interface Answer {
  status: number;
  reason: string;
  /** e.g. a redirect's Contact (sip/redirect.ts) */
  headers?: [string, string][];
}

export interface EndpointOptions {
  host: string;
  /** 0: any free port */
  port?: number;
  server: { host: string; port: number };
  /** default udp */
  transport?: TransportName;
  /** TLS: the CA to verify the server's certificate with (default the system's), the name on it */
  tls?: { ca?: Buffer; servername?: string };
  /** an incoming request; the handler returns status and reason of the answer, and any headers to add */
  onRequest(request: Request): Answer;
  onBadDatagram(error: Error): void;
  /** a datagram from a host that is not the server's, dropped unanswered (default: onBadDatagram) */
  onRefused?(error: Error): void;
  /** total time a request may take (default 4 s: a dead PBX shows quickly) */
  timeoutMs?: number;
  /** answer the server's digest challenges (401/407) with these */
  credentials?: Credentials;
}

export interface Endpoint {
  /** our address as the server sees it (over TCP/TLS, the current connection's) */
  readonly local: { host: string; port: number };
  /** for Contact: `;transport=tcp` or `;transport=tls`, empty on UDP */
  readonly uriParams: string;
  /**
   * Via, Max-Forwards and Content-Length are added here, and the digest answer where the server
   * challenges: the response's CSeq is the one finally used (the caller's dialog counts on from it).
   */
  request(method: string, uri: string, headers: [string, string][], body?: string): Promise<Response>;
  close(): Promise<void>;
}

const T1 = 500;
const T2 = 4000;
/** 64 random bits: a tag, a Call-ID's local part, half a branch; guessing one takes 2^63 tries. */
export const newTag = () => randomBytes(8).toString('hex');

/** Every address the server's name stands for (an IP stands for itself). */
async function serverAddresses(host: string): Promise<Set<string>> {
  const found = await lookup(host, { all: true, family: 4 });
  return new Set(found.map((a) => a.address));
}

export async function openEndpoint(options: EndpointOptions): Promise<Endpoint> {
  // looked up at open (a PBX that moves to another address needs the bridge restarted); a name that
  // does not resolve yet is looked up again before each request, and nothing is heard until it does
  let trusted = new Set<string>();
  const resolveServer = async () => {
    trusted = await serverAddresses(options.server.host).catch(() => trusted);
  };
  await resolveServer();
  const pending = new Map<string, (r: Response) => void>();
  const cancels = new Set<() => void>();
  let closed = false;
  const receive: Receive = (text, from, reply) => {
    if (!trusted.has(from.address)) {
      (options.onRefused ?? options.onBadDatagram)(
        new Error(
          `SIP from ${from.address}:${from.port} refused: not the server ${options.server.host}'s address`,
        ),
      );
      return;
    }
    let m: SipMessage;
    try {
      m = parseMessage(text);
    } catch (e) {
      options.onBadDatagram(e as Error);
      return;
    }
    if (m.kind === 'response') {
      const branch = /branch=([^;\s,]+)/.exec(header(m, 'via') ?? '')?.[1];
      if (branch && m.status >= 200) pending.get(branch)?.(m);
      return;
    }
    if (m.method === 'ACK') return;
    let answer: Answer;
    try {
      answer = options.onRequest(m);
    } catch (e) {
      options.onBadDatagram(e as Error);
      answer = { status: 400, reason: 'Bad Request' };
    }
    const copy = (name: string): [string, string[]] => [name, m.headers.get(name) ?? []];
    const to = header(m, 'to') ?? '';
    const headers: Headers = new Map([
      copy('via'),
      copy('from'),
      ['to', [/;\s*tag=/i.test(to) ? to : `${to};tag=${newTag()}`]],
      copy('call-id'),
      copy('cseq'),
    ]);
    for (const [name, value] of answer.headers ?? []) headers.set(name.toLowerCase(), [value]);
    if (!closed)
      reply(
        formatMessage({ kind: 'response', status: answer.status, reason: answer.reason, headers, body: '' }),
      );
  };
  const transport = options.transport ?? 'udp';
  const wire =
    transport === 'udp'
      ? await datagramWire(
          { host: options.host, port: options.port ?? 0 },
          options.server,
          receive,
          options.onBadDatagram,
        )
      : await streamWire(
          options.server,
          { host: options.host, ...(transport === 'tls' ? { tls: options.tls ?? {} } : {}) },
          receive,
          options.onBadDatagram,
        );
  const send = (m: SipMessage) => {
    if (!closed) wire.send(formatMessage(m));
  };

  /** One transaction: a new branch, retransmitted until its final response or the timeout. */
  async function transact(
    method: string,
    uri: string,
    extra: [string, string][],
    body: string,
  ): Promise<Response> {
    if (trusted.size === 0) await resolveServer();
    await wire.ready();
    const branch = `z9hG4bK${newTag()}${newTag()}`;
    const local = wire.local();
    const headers: Headers = new Map([
      ['via', [`SIP/2.0/${wire.via} ${local.host}:${local.port};branch=${branch};rport`]],
      ['max-forwards', ['70']],
    ]);
    for (const [name, value] of extra)
      headers.set(name.toLowerCase(), [...(headers.get(name.toLowerCase()) ?? []), value]);
    const message: SipMessage = { kind: 'request', method, uri, headers, body };
    return new Promise<Response>((resolve, reject) => {
      let interval = T1;
      let timer: NodeJS.Timeout;
      const retransmit = () => {
        send(message);
        if (wire.reliable) return;
        timer = setTimeout(retransmit, interval);
        interval = Math.min(interval * 2, T2);
      };
      const finish = () => {
        pending.delete(branch);
        cancels.delete(cancel);
        clearTimeout(timer);
        clearTimeout(deadline);
      };
      const cancel = () => {
        finish();
        reject(new Error(`${method} ${uri}: endpoint closed`));
      };
      const deadline = setTimeout(() => {
        finish();
        reject(new Error(`${method} ${uri}: no answer in ${options.timeoutMs ?? 4000} ms`));
      }, options.timeoutMs ?? 4000);
      pending.set(branch, (r) => {
        finish();
        resolve(r);
      });
      cancels.add(cancel);
      if (closed) return cancel();
      retransmit();
    });
  }

  const digest = options.credentials ? digestSession(options.credentials) : undefined;

  return {
    get local() {
      return wire.local();
    },
    uriParams: transport === 'udp' ? '' : `;transport=${transport}`,
    async request(method, uri, extra, body = '') {
      let headers = extra;
      // a challenge answered once more at most per new nonce; a wrong password is the caller's 401/407
      for (let attempt = 0; ; attempt++) {
        const answer = digest?.answer({ method, uri });
        const r = await transact(method, uri, answer ? [...headers, answer] : headers, body);
        if (!digest || (r.status !== 401 && r.status !== 407) || attempt >= 2) return r;
        if (!digest.challenged(r, answer !== undefined)) return r;
        // the request again, as a new one of the same dialog or publication (RFC 3261 §22.2)
        headers = headers.map(([name, value]) =>
          name.toLowerCase() === 'cseq'
            ? [name, value.replace(/^\d+/, (n) => String(Number(n) + 1))]
            : [name, value],
        );
      }
    },
    close() {
      closed = true;
      for (const cancel of [...cancels]) cancel();
      return wire.close();
    },
  };
}
