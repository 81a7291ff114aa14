// How the auth layer answers: its security headers, and JSON, HTML and redirects that are never cached.
import type { ServerResponse } from 'node:http';

/** A year, without includeSubDomains, which would bind the whole municipal domain (docs/access.md). */
export const HSTS = 'max-age=31536000';

/** The headers of every auth answer; HSTS only when the request came over TLS. */
export function setSecurityHeaders(res: ServerResponse, overTls: boolean): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // Only over TLS: a browser ignores HSTS on http anyway, and a demo on http must stay reachable.
  if (overTls) res.setHeader('Strict-Transport-Security', HSTS);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 303;
  res.setHeader('Location', location);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}
