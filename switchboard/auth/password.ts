// Password hashes: scrypt (node:crypto) in a self-describing string `scrypt$N$r$p$salt$hash` (base64),
// so the cost can be raised later without invalidating the hashes already in a users file.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two */
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt equivalent of N=2^17,p=1 at a quarter of the memory: 32 MiB per hash, ~0.1-0.25 s. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on what a stored string may ask for, so a tampered users file cannot make one login cost
 * gigabytes or minutes. scrypt needs about 128·N·r bytes. */
const MAX_MEMORY = 64 * 1024 * 1024;
const MAX_P = 16;

export interface ParsedHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeB64(text: string): Buffer | undefined {
  if (!B64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Round trip: rejects base64 with junk bits that Buffer.from would silently accept.
  return bytes.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '') ? bytes : undefined;
}

const INTEGER = /^[1-9][0-9]{0,9}$/;

/** Parses a stored hash string; returns the reason it is unusable instead of throwing. */
export function parseHash(stored: string): ParsedHash | { error: string } {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return { error: 'expected scrypt$N$r$p$salt$hash' };
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (!INTEGER.test(n) || !INTEGER.test(r) || !INTEGER.test(p))
    return { error: 'N, r and p must be positive integers' };
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (params.N < 2 || (params.N & (params.N - 1)) !== 0) return { error: 'N must be a power of two' };
  if (128 * params.N * params.r > MAX_MEMORY) return { error: 'N·r too large (over 64 MiB)' };
  if (params.p > MAX_P) return { error: `p larger than ${MAX_P}` };
  const saltBytes = decodeB64(salt);
  const hashBytes = decodeB64(hash);
  if (!saltBytes || saltBytes.length < SALT_BYTES)
    return { error: `salt must be base64, at least ${SALT_BYTES} bytes` };
  // Exactly the length written: scrypt's shorter outputs are prefixes of longer ones, so a truncated
  // hash would still verify.
  if (!hashBytes || hashBytes.length !== KEY_BYTES)
    return { error: `hash must be ${KEY_BYTES} bytes of base64` };
  return { ...params, salt: saltBytes, hash: hashBytes };
}

function derive(password: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...params, maxmem: 2 * MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** True only for the right password; a malformed or tampered hash string is false, never an exception. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if ('error' in parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(candidate, parsed.hash);
}

/** A hash no password matches, costing what a real one with these parameters costs to verify: checked
 * for unknown usernames so the response time does not tell which usernames exist. */
export function dummyHash(params: ScryptParams = DEFAULT_SCRYPT): string {
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    randomBytes(SALT_BYTES).toString('base64'),
    randomBytes(KEY_BYTES).toString('base64'),
  ].join('$');
}
