// What the SIP adapter's parts (voicemail.ts, publications.ts, adapter.ts) share: the endpoint while the
// adapter runs, our addresses, the expiry arithmetic, and where bad input goes.
import type { Endpoint, Response } from './endpoint.js';
import { header } from './message.js';

export interface SipLine {
  /** the endpoint while the adapter runs; undefined before open and once closing */
  live(): Endpoint | undefined;
  /** the expiry we ask for (s) */
  readonly expires: number;
  /** how soon a failed request is tried again (ms): within a keepalive period */
  readonly retryMs: number;
  /** sip:{ext}@{domain} */
  aor(ext: string): string;
  /** our From (no tag) */
  from(): string;
  contact(): string;
  /** refresh at 80 % of the expiry the server granted (its Expires, else ours) */
  refreshIn(r: Response): number;
  fault(error: Error): void;
}

export function grantedExpires(r: Response, asked: number): number {
  const value = header(r, 'expires');
  return value && /^\d+$/.test(value) ? Number(value) : asked;
}
