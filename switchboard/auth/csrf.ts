// Cross-site request forgery: every write must come from the board's own origin (Origin and
// Sec-Fetch-Site, which browsers set and pages cannot forge) AND carry the session's synchronizer
// token, which a page on another site cannot read. Either alone has had holes; together they are
// what OWASP recommends.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const CSRF_HEADER = 'x-csrf-token';

export const isSafeMethod = (method: string | undefined) =>
  method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

/** Compares without leaking, through timing, how much of the token was right (or its length). */
export function tokensEqual(expected: string, provided: string | undefined): boolean {
  if (!provided) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(expected), digest(provided));
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? undefined : value);

/**
 * Why this request does not come from `origin` (e.g. `https://vaxel.example.se`), or undefined when
 * it may. Sec-Fetch-Site decides when present: under `Referrer-Policy: no-referrer` browsers send
 * `Origin: null` even for the page's own form posts and fetches, so Origin is only the fallback for
 * browsers without Sec-Fetch-* (and there `null` is refused). A request with neither header (curl)
 * passes here and is left to the token.
 */
export function crossOriginReason(headers: IncomingHttpHeaders, origin: string): string | undefined {
  const site = headers['sec-fetch-site'];
  if (site !== undefined)
    return site === 'same-origin' ? undefined : `Sec-Fetch-Site is ${String(site).slice(0, 20)}`;
  const from = headers.origin;
  if (from === undefined || from === origin) return undefined;
  return `Origin ${String(from).slice(0, 80)} is not ${origin}`;
}

/** Why a write with this token is refused for a session holding `expected`, or undefined. */
export function csrfReason(
  headers: IncomingHttpHeaders,
  origin: string,
  expected: string,
  provided = single(headers[CSRF_HEADER]),
): string | undefined {
  const cross = crossOriginReason(headers, origin);
  if (cross) return cross;
  if (!provided) return 'missing CSRF token';
  if (!tokensEqual(expected, provided)) return 'wrong CSRF token';
  return undefined;
}
