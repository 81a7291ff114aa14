// What a login or logout POST carries: form or JSON fields within tight limits, and where to go after.
import type { IncomingMessage } from 'node:http';
import { HttpError, readBody } from '../http-body.js';

const MAX_BODY = 8 * 1024;
export const MAX_USERNAME = 64;
export const MAX_PASSWORD = 1024;

export type Fields = Record<string, string | undefined>;

/** Only a path on this site: never `//evil.example` or `/\evil.example`, which browsers treat as hosts. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 512 || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next)) return '/';
  return next.startsWith('/login') || next.startsWith('/logout') ? '/' : next;
}

/** The form or JSON fields of a login/logout POST. */
export async function readFields(req: IncomingMessage): Promise<{ form: boolean; fields: Fields }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return { form: true, fields: Object.fromEntries(new URLSearchParams(await readBody(req, MAX_BODY))) };
  }
  if (type === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(await readBody(req, MAX_BODY));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, 'body is not JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new HttpError(400, 'body must be a JSON object');
    const fields: Fields = {};
    for (const [k, v] of Object.entries(json)) {
      if (typeof v !== 'string') throw new HttpError(400, `field ${k.slice(0, 40)} must be a string`);
      fields[k] = v;
    }
    return { form: false, fields };
  }
  // Logout from a fetch() may have no body at all.
  if (!type && (await readBody(req, MAX_BODY)) === '') return { form: false, fields: {} };
  throw new HttpError(415, 'send application/x-www-form-urlencoded or application/json');
}
