// Request and response helpers for the board's routes: refusals as JSON errors, the limits on what a
// request may carry, and the security headers every answer gets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';
import { createLogger } from '../../log/logger.js';
import { SEGMENT_PATTERNS, wellFormed } from '../../protocol/index.js';
import { HttpError, readBody } from '../http-body.js';
import { issueCode, issues } from './actions.js';

export { HttpError };

/** Refusals counted for /api/health. */
export interface HttpCounts {
  rejected: number;
}

/** Operators' write bodies are small: a referral or a phone message of at most 1,000 characters. */
const MAX_BODY = 4 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const log = createLogger('board');

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/** The request target as a URL: a path of at most 2,048 characters that decodes. */
export function requestUrl(req: IncomingMessage): URL {
  try {
    if (!req.url?.startsWith('/') || req.url.startsWith('//'))
      throw new HttpError(400, 'request target must be a path');
    if (req.url.length > 2048) throw new HttpError(414, 'URL longer than 2048 characters');
    const url = new URL(req.url, 'http://board.invalid');
    decodeURIComponent(url.pathname);
    return url;
  } catch (e) {
    throw e instanceof HttpError ? e : new HttpError(400, 'malformed URL');
  }
}

/** The page and the reads take ?org= (one organisation) and ?lang= (the page's); nothing else. */
export function orgParam(url: URL, others: readonly string[] = []): string | undefined {
  for (const name of url.searchParams.keys()) {
    if (name !== 'org' && name !== 'lang' && !others.includes(name))
      throw new HttpError(400, `unknown query parameter ${JSON.stringify(name)}`);
  }
  const org = url.searchParams.get('org') ?? undefined;
  if (org !== undefined && !SEGMENT_PATTERNS.org.test(org)) {
    throw new HttpError(
      400,
      `invalid org ${JSON.stringify(org.slice(0, 40))}: lower-case letters, digits, -`,
    );
  }
  return org;
}

export function fail(res: ServerResponse, error: HttpError, counts: HttpCounts): void {
  counts.rejected++;
  log.debug('http rejected', { status: error.status, reason: error.message });
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  const { field, code } = error;
  res.end(JSON.stringify({ error: error.message, ...(field ? { field } : {}), ...(code ? { code } : {}) }));
}

export function json(req: IncomingMessage, res: ServerResponse, body: unknown): void {
  const text = Buffer.from(JSON.stringify(body));
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', text.length);
  res.end(req.method === 'HEAD' ? undefined : text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'send application/json');
  const text = await readBody(req, MAX_BODY);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  // what the board would publish from it, every reader would refuse (docs/protocol.md, Messages)
  if (!wellFormed(body)) throw new HttpError(400, 'body holds a lone UTF-16 surrogate');
  return body;
}

/** A JSON body of at most MAX_BODY bytes, validated by the schema. */
export async function parseBody<T>(req: IncomingMessage, schema: ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJson(req));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = typeof first?.path[0] === 'string' ? first.path[0] : undefined;
    throw new HttpError(400, issues(parsed.error), field, issueCode(first));
  }
  return parsed.data;
}

/**
 * `/api/stream?snapshot=fetch`: the stream starts with `ready` instead of the snapshot, and the page
 * fetches `/api/snapshot` itself (stream-open.ts). Absent, the stream starts with its snapshot.
 */
export function streamSnapshotParam(url: URL): boolean {
  const value = url.searchParams.get('snapshot');
  if (value !== null && value !== 'fetch')
    throw new HttpError(400, `snapshot must be "fetch", not ${JSON.stringify(value.slice(0, 40))}`);
  return value === null;
}
