// The webhook signature, both directions: HMAC-SHA256 over `${timestamp}.${body}` with the shared
// secret, hex, in `X-Hanvisa-Signature: sha256=…`; the timestamp (Unix seconds) in
// `X-Hanvisa-Timestamp`. Signing the timestamp with the body makes a replay outside the window fail.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hanvisa-signature';
export const TIMESTAMP_HEADER = 'x-hanvisa-timestamp';

export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type Verdict = { ok: true } | { ok: false; error: 'signature' | 'replay'; message: string };

export function verify(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowMs: number,
  windowSeconds: number,
): Verdict {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp)
    return { ok: false, error: 'signature', message: 'missing X-Hanvisa-Signature or X-Hanvisa-Timestamp' };
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, error: 'signature', message: 'X-Hanvisa-Timestamp must be Unix seconds' };
  const expected = Buffer.from(sign(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, error: 'signature', message: 'signature does not match the body and timestamp' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > windowSeconds)
    return { ok: false, error: 'replay', message: `timestamp outside the ${windowSeconds} s replay window` };
  return { ok: true };
}
