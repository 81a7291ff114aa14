// The signed links in the notifier's letters: "handled" for a phone message, "extend" for the nudge.
// A link carries what it acts on and is signed with HMAC-SHA256 under the notifier's link secret (a
// file of its own), so it cannot be forged or pointed at another person; it expires; and the notifier
// remembers each one used (outbox state), so it works once. Nothing in it is secret, nor personal
// beyond the extension.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Ext } from '../../protocol/index.js';

const Claim = z.strictObject({
  /** what the link does */
  do: z.enum(['handled', 'extend', 'push']),
  org: z.string().min(1).max(32),
  ext: Ext,
  /** the message id (handled), the referral it nudged, `{since}|{until}` (extend), `subscribe` (push) */
  id: z.string().min(1).max(128),
  /** expiry, milliseconds since the epoch */
  exp: z.number().int(),
});
export type LinkClaim = z.infer<typeof Claim>;

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest();

export function signLink(secret: string, claim: LinkClaim): string {
  const body = b64(JSON.stringify(claim));
  return `${body}.${b64(mac(secret, body))}`;
}

export type Verified = { ok: true; claim: LinkClaim } | { ok: false; why: 'forged' | 'expired' };

/** The claim of a genuine link that has not expired; a link of any other shape is `forged`. */
export function verifyLink(secret: string, token: string, now: number): Verified {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return { ok: false, why: 'forged' };
  const want = mac(secret, body);
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, why: 'forged' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, why: 'forged' };
  }
  const claim = Claim.safeParse(parsed);
  if (!claim.success) return { ok: false, why: 'forged' };
  return claim.data.exp <= now ? { ok: false, why: 'expired' } : { ok: true, claim: claim.data };
}

/** What "used once" remembers of a link: what it did to what, not the token. */
export const linkKey = (c: LinkClaim) => `${c.do}|${c.org}|${c.ext}|${c.id}`;
