// SIP over TCP or TLS (wire.ts, RFC 3261 §18.3): one connection to the server, opened when the endpoint
// opens and again whenever a request finds it gone; the server sends its NOTIFYs back over it (our
// Contact is its local address). TLS verifies the server's certificate against the given CA (or the
// system's) and its name. Messages are framed by Content-Length; CRLF keepalives are skipped.
import { type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { MAX_MESSAGE_BYTES } from './message.js';
import type { Receive, Wire } from './wire.js';

export interface StreamOptions {
  tls?: { ca?: Buffer; servername?: string };
  /** the local address to connect from */
  host: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Splits a stream into messages; a message larger than the limit is an error (the connection is dropped). */
export function framer(deliver: (text: string) => void) {
  let buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      let start = 0;
      while (buffer[start] === 0x0d || buffer[start] === 0x0a) start++; // keepalive CRLFs
      buffer = buffer.subarray(start);
      const end = buffer.indexOf(HEADER_END);
      if (end === -1) {
        if (buffer.length > MAX_MESSAGE_BYTES) throw new Error('SIP message without end of headers');
        return;
      }
      const head = buffer.subarray(0, end).toString('utf8');
      const length = Number(/^(?:content-length|l)[ \t]*:[ \t]*(\d{1,6})[ \t]*$/im.exec(head)?.[1] ?? 0);
      const total = end + 4 + length;
      if (total > MAX_MESSAGE_BYTES) throw new Error('SIP message too large');
      if (buffer.length < total) return;
      deliver(buffer.subarray(0, total).toString('utf8'));
      buffer = buffer.subarray(total);
    }
  };
}

export async function streamWire(
  server: { host: string; port: number },
  options: StreamOptions,
  receive: Receive,
  onError: (error: Error) => void,
): Promise<Wire> {
  let socket: Socket | undefined;
  let connecting: Promise<Socket> | undefined;
  let closed = false;

  const open = (): Promise<Socket> => {
    const tcp = tcpConnect({ host: server.host, port: server.port, localAddress: options.host });
    // TLS over it: the certificate checked against `host` (or the servername) and the CA
    const s = options.tls
      ? tlsConnect({
          socket: tcp,
          host: server.host,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          ...(options.tls.servername ? { servername: options.tls.servername } : {}),
        })
      : tcp;
    // TLS reports its connection's failures itself
    if (s !== tcp) tcp.on('error', () => {});
    return new Promise<Socket>((resolve, reject) => {
      if (s !== tcp) tcp.once('error', reject);
      s.once(options.tls ? 'secureConnect' : 'connect', () => {
        s.off('error', reject);
        s.on('error', onError);
        socket = s;
        resolve(s);
      });
      s.once('error', reject);
      const from = () => ({ address: s.remoteAddress ?? '', port: s.remotePort ?? 0 });
      const feed = framer((text) => receive(text, from(), (answer) => s.write(answer)));
      s.on('data', (chunk: Buffer) => {
        try {
          feed(chunk);
        } catch (e) {
          onError(e as Error);
          s.destroy();
        }
      });
      s.on('close', () => {
        if (socket === s) socket = undefined;
      });
    });
  };

  const ready = async () => {
    if (closed) throw new Error('endpoint closed');
    if (socket && !socket.destroyed) return;
    connecting ??= open().finally(() => {
      connecting = undefined;
    });
    await connecting;
  };
  // the first connection now, so that our Contact is known; a server away is the keepalive's to report
  await ready().catch(() => {});

  return {
    via: options.tls ? 'TLS' : 'TCP',
    reliable: true,
    local: () => ({ host: socket?.localAddress ?? options.host, port: socket?.localPort ?? 0 }),
    ready,
    send: (text) => {
      socket?.write(text);
    },
    async close() {
      closed = true;
      socket?.destroy();
    },
  };
}
