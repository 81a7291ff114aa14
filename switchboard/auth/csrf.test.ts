import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossOriginReason, csrfReason, isSafeMethod, tokensEqual } from './csrf.js';
import { randomToken } from './sessions.js';

const ORIGIN = 'https://vaxel.example.se';

describe('CSRF', () => {
  const token = randomToken();
  const sameOrigin = { origin: ORIGIN, 'sec-fetch-site': 'same-origin' };

  it('refuses a write without a token, with a wrong one, and accepts the right one', () => {
    expect(csrfReason(sameOrigin, ORIGIN, token)).toBe('missing CSRF token');
    expect(csrfReason({ ...sameOrigin, 'x-csrf-token': randomToken() }, ORIGIN, token)).toBe(
      'wrong CSRF token',
    );
    expect(csrfReason({ ...sameOrigin, 'x-csrf-token': token.slice(0, -1) }, ORIGIN, token)).toBe(
      'wrong CSRF token',
    );
    expect(csrfReason({ ...sameOrigin, 'x-csrf-token': token }, ORIGIN, token)).toBeUndefined();
    // A form field given instead of the header (login and logout forms)
    expect(csrfReason(sameOrigin, ORIGIN, token, token)).toBeUndefined();
  });

  it('refuses the right token from another site', () => {
    const withToken = { 'x-csrf-token': token };
    expect(csrfReason({ ...withToken, origin: 'https://evil.example' }, ORIGIN, token)).toMatch(
      /^Origin https:\/\/evil/,
    );
    expect(csrfReason({ ...withToken, origin: 'null' }, ORIGIN, token)).toMatch(/^Origin null/);
    expect(csrfReason({ ...withToken, 'sec-fetch-site': 'cross-site' }, ORIGIN, token)).toBe(
      'Sec-Fetch-Site is cross-site',
    );
    expect(csrfReason({ ...withToken, 'sec-fetch-site': 'same-site' }, ORIGIN, token)).toBe(
      'Sec-Fetch-Site is same-site',
    );
    expect(csrfReason({ ...withToken, origin: 'http://vaxel.example.se' }, ORIGIN, token)).toMatch(
      /^Origin http:/,
    );
  });

  it('leaves clients that send neither Origin nor Sec-Fetch-Site to the token', () => {
    expect(crossOriginReason({}, ORIGIN)).toBeUndefined();
    expect(csrfReason({ 'x-csrf-token': token }, ORIGIN, token)).toBeUndefined();
    expect(csrfReason({}, ORIGIN, token)).toBe('missing CSRF token');
  });

  it('compares tokens exactly', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(tokensEqual(a, b)).toBe(b !== '' && a === b);
      }),
    );
  });

  it('needs no token for reads', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].every(isSafeMethod)).toBe(true);
    expect(['POST', 'PUT', 'PATCH', 'DELETE', undefined].some(isSafeMethod)).toBe(false);
  });
});
