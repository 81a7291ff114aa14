// What the auth layer reads off a request: whether it came over TLS, the client's address and the
// board's origin as the browser sees it (each believing a TLS proxy only when told to), its path.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface ProxyOptions {
  /** true: cookies always Secure and HSTS sent; false: never; unset: when the request came over TLS
   * (directly, or through a trusted proxy saying X-Forwarded-Proto: https) */
  secureCookies?: boolean;
  /** the board sits behind a TLS proxy: believe its X-Forwarded-Proto and X-Forwarded-For */
  trustProxy?: boolean;
  /** the origin browsers see, e.g. https://vaxel.example.se; default from the Host header */
  publicOrigin?: string;
}

export interface RequestFacts {
  isSecure(req: IncomingMessage): boolean;
  /** The client: with a trusted proxy, the address it appended last to X-Forwarded-For. */
  clientAddress(req: IncomingMessage): string;
  originOf(req: IncomingMessage): string;
}

const firstForwarded = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim().toLowerCase();

export function requestFacts(options: ProxyOptions): RequestFacts {
  const isSecure = (req: IncomingMessage) =>
    options.secureCookies ??
    ((req.socket as TLSSocket).encrypted === true ||
      (options.trustProxy === true && firstForwarded(req.headers['x-forwarded-proto']) === 'https'));
  return {
    isSecure,
    clientAddress(req) {
      const forwarded = req.headers['x-forwarded-for'];
      if (options.trustProxy && typeof forwarded === 'string') {
        const last = forwarded.split(',').at(-1)?.trim();
        if (last) return last.slice(0, 64);
      }
      return req.socket.remoteAddress ?? 'unknown';
    },
    originOf: (req) =>
      options.publicOrigin ?? `${isSecure(req) ? 'https' : 'http'}://${req.headers.host ?? ''}`,
  };
}

/** The request target as a URL; one that does not parse is the root. */
export function pathOf(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://board.invalid');
  } catch {
    return new URL('http://board.invalid/');
  }
}

export const wantsHtml = (req: IncomingMessage) => (req.headers.accept ?? '').includes('text/html');
