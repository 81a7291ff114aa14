// A SIP endpoint over UDP: sends a request and resolves with its final response (retransmitting per
// RFC 3261 §17.1.2, timer E, within a total timeout), and answers incoming requests (NOTIFY) through
// a handler. Datagrams that do not parse are reported, never thrown.
import { createSocket, type Socket } from 'node:dgram';
import { formatMessage, type Headers, header, parseMessage, type SipMessage } from './message.js';

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
  /** an incoming request; the handler returns status and reason of the answer, and any headers to add */
  onRequest(request: Request): Answer;
  onBadDatagram(error: Error): void;
  /** total time a request may take (default 4 s: a dead PBX shows quickly) */
  timeoutMs?: number;
}

export interface Endpoint {
  readonly local: { host: string; port: number };
  /** Via, Max-Forwards and Content-Length are added here. */
  request(method: string, uri: string, headers: [string, string][], body?: string): Promise<Response>;
  close(): Promise<void>;
}

const T1 = 500;
const T2 = 4000;
const random = () => Math.random().toString(36).slice(2, 12);
export const newTag = random;

export async function openEndpoint(options: EndpointOptions): Promise<Endpoint> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, options.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const local = { host: options.host, port: socket.address().port };
  const pending = new Map<string, (r: Response) => void>();
  const cancels = new Set<() => void>();
  let closed = false;
  const send = (m: SipMessage, to = options.server) => {
    if (!closed) socket.send(formatMessage(m), to.port, to.host);
  };

  socket.on('error', (e) => options.onBadDatagram(e));
  socket.on('message', (data, from) => {
    let m: SipMessage;
    try {
      m = parseMessage(data.toString('utf8'));
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
      ['to', [/;\s*tag=/i.test(to) ? to : `${to};tag=${random()}`]],
      copy('call-id'),
      copy('cseq'),
    ]);
    for (const [name, value] of answer.headers ?? []) headers.set(name.toLowerCase(), [value]);
    send(
      { kind: 'response', status: answer.status, reason: answer.reason, headers, body: '' },
      { host: from.address, port: from.port },
    );
  });

  return {
    local,
    request(method, uri, extra, body = '') {
      const branch = `z9hG4bK${random()}${random()}`;
      const headers: Headers = new Map([
        ['via', [`SIP/2.0/UDP ${local.host}:${local.port};branch=${branch};rport`]],
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
    },
    close() {
      closed = true;
      for (const cancel of [...cancels]) cancel();
      return new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
