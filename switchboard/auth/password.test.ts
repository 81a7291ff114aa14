import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT,
  dummyHash,
  hashPassword,
  parseHash,
  type ScryptParams,
  verifyPassword,
} from './password.js';

// Cheap parameters keep property runs fast; the format and code path are the same as the default's.
const CHEAP: ScryptParams = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('verifies the right password with the default parameters and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(parseHash(stored)).toMatchObject(DEFAULT_SCRYPT);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash: the same password never gives the same string', async () => {
    expect(await hashPassword('same password', CHEAP)).not.toBe(await hashPassword('same password', CHEAP));
  });

  it('round-trips any password and refuses any other', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        async (pw, other) => {
          const stored = await hashPassword(pw, CHEAP);
          expect(await verifyPassword(pw, stored)).toBe(true);
          if (other.normalize('NFC') !== pw.normalize('NFC'))
            expect(await verifyPassword(other, stored)).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('treats NFC and NFD spellings of å as the same password (macOS keyboards send NFD)', async () => {
    const stored = await hashPassword('Växjö-Åmål-1', CHEAP);
    expect(await verifyPassword('Växjö-Åmål-1'.normalize('NFD'), stored)).toBe(true);
  });

  it('answers false, never throws, for tampered or hostile hash strings', async () => {
    const stored = await hashPassword('secret password', CHEAP);
    const [, n, r, p, salt, hash] = stored.split('$') as string[];
    const flipped = Buffer.from(hash as string, 'base64');
    flipped[0] = (flipped[0] as number) ^ 1;
    const tampered = [
      ['scrypt', n, r, p, salt, flipped.toString('base64')].join('$'), // hash bit flipped
      ['scrypt', n, r, p, Buffer.from('another salt').toString('base64'), hash].join('$'),
      ['scrypt', '2048', r, p, salt, hash].join('$'), // cost lowered
      ['scrypt', 2 ** 24, r, p, salt, hash].join('$'), // 2 GiB: refused before any work
      ['scrypt', '1000', r, p, salt, hash].join('$'), // not a power of two
      ['scrypt', n, r, '999', salt, hash].join('$'),
      ['scrypt', n, r, p, salt, `${hash}!`].join('$'),
      ['bcrypt', n, r, p, salt, hash].join('$'),
      stored.slice(0, -4),
      '',
      'scrypt$$$$$',
    ];
    for (const t of tampered) expect(await verifyPassword('secret password', t), t).toBe(false);
    expect(parseHash(tampered[3] as string)).toEqual({ error: 'N·r too large (over 64 MiB)' });
  });

  it('gives dummy hashes that parse with the requested cost and match no password', async () => {
    const dummy = dummyHash(CHEAP);
    expect(parseHash(dummy)).toMatchObject(CHEAP);
    expect(await verifyPassword('', dummy)).toBe(false);
  });
});
