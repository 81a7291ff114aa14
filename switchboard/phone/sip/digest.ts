// SIP digest authentication for the bridge's requests (RFC 3261 §22 with RFC 2617's qop, RFC 8760's
// SHA-256): a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) challenge answered with
// Authorization / Proxy-Authorization. The last challenge is kept and reused for the next requests with
// a rising nonce count (nc), so a PBX that caches nonces (Kamailio `nonce_count`) is not asked twice per
// request; a `stale=true` challenge simply replaces it. Pure but for the cnonce's randomness.
import { createHash, randomBytes } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

export interface Challenge {
  /** which header it came in: the answer goes in the matching one */
  proxy: boolean;
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: 'MD5' | 'SHA-256';
  /** qop=auth offered (auth-int alone is not supported: bodies would have to be hashed) */
  qopAuth: boolean;
}

export class DigestError extends Error {}

const HASH = { MD5: 'md5', 'SHA-256': 'sha256' } as const;

/** `Digest realm="x", nonce="y", qop="auth,auth-int", algorithm=SHA-256` → its parameters. */
function params(value: string): Map<string, string> {
  const found = new Map<string, string>();
  const re = /([A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(value); m; m = re.exec(value))
    found.set(
      (m[1] as string).toLowerCase(),
      m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] as string),
    );
  return found;
}

/**
 * The challenges of a 401/407 (one header may be given per algorithm, RFC 8760 §2.4: the server's order
 * is its preference), the strongest we support first.
 */
export function parseChallenges(values: readonly string[], proxy: boolean): Challenge[] {
  const found: Challenge[] = [];
  for (const value of values) {
    if (!/^\s*digest\s/i.test(value)) continue;
    const p = params(value.replace(/^\s*digest\s+/i, ''));
    const realm = p.get('realm');
    const nonce = p.get('nonce');
    const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
    if (realm === undefined || !nonce || (algorithm !== 'MD5' && algorithm !== 'SHA-256')) continue;
    const qop = p
      .get('qop')
      ?.split(',')
      .map((q) => q.trim().toLowerCase());
    if (qop && !qop.includes('auth')) continue;
    const opaque = p.get('opaque');
    found.push({ proxy, realm, nonce, algorithm, qopAuth: Boolean(qop), ...(opaque ? { opaque } : {}) });
  }
  return found.sort((a, b) => Number(b.algorithm === 'SHA-256') - Number(a.algorithm === 'SHA-256'));
}

const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** The Authorization (or Proxy-Authorization) value for one request under a challenge. */
export function authorization(
  challenge: Challenge,
  credentials: Credentials,
  request: { method: string; uri: string },
  nc: number,
  cnonce = randomBytes(12).toString('hex'),
): string {
  const h = (s: string) => createHash(HASH[challenge.algorithm]).update(s).digest('hex');
  const ha1 = h(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha2 = h(`${request.method}:${request.uri}`);
  const count = nc.toString(16).padStart(8, '0');
  const response = challenge.qopAuth
    ? h(`${ha1}:${challenge.nonce}:${count}:${cnonce}:auth:${ha2}`)
    : h(`${ha1}:${challenge.nonce}:${ha2}`);
  const fields = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(request.uri)}`,
    `response=${quote(response)}`,
    `algorithm=${challenge.algorithm}`,
    ...(challenge.opaque !== undefined ? [`opaque=${quote(challenge.opaque)}`] : []),
    ...(challenge.qopAuth ? ['qop=auth', `nc=${count}`, `cnonce=${quote(cnonce)}`] : []),
  ];
  return `Digest ${fields.join(', ')}`;
}

/**
 * One endpoint's digest state: the last challenge and its nonce count. `answer` gives the header to add
 * to a request (none before the first challenge); `challenged` takes a 401/407 and says whether trying
 * again with new credentials can help (a fresh nonce, or the first challenge) or not (wrong password).
 */
export function digestSession(credentials: Credentials) {
  let current: Challenge | undefined;
  let nc = 0;
  return {
    answer(request: { method: string; uri: string }): [string, string] | undefined {
      if (!current) return undefined;
      nc++;
      return [
        current.proxy ? 'Proxy-Authorization' : 'Authorization',
        authorization(current, credentials, request, nc),
      ];
    },
    /** `sentWith`: whether the refused request carried our answer to the current challenge */
    challenged(response: { status: number; headers: Map<string, string[]> }, sentWith: boolean): boolean {
      const proxy = response.status === 407;
      const values = response.headers.get(proxy ? 'proxy-authenticate' : 'www-authenticate') ?? [];
      const [best] = parseChallenges(values, proxy);
      if (!best)
        throw new DigestError(
          `${response.status} without a digest challenge we support (MD5, SHA-256; qop auth)`,
        );
      const stale = values.some((v) => /stale\s*=\s*"?true/i.test(v));
      const fresh = !current || best.nonce !== current.nonce;
      current = best;
      nc = 0;
      // refused although we answered this very nonce, and not for staleness: the credentials are wrong
      return !sentWith || stale || fresh;
    },
  };
}

export type DigestSession = ReturnType<typeof digestSession>;
