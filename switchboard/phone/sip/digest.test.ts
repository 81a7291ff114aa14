import { describe, expect, it } from 'vitest';
import { authorization, digestSession, parseChallenges } from './digest.js';

const param = (header: string, name: string) => new RegExp(`${name}="?([^",]+)`).exec(header)?.[1];

describe('SIP digest', () => {
  it("answers RFC 2617 §3.5's MD5 example (qop=auth)", () => {
    const [challenge] = parseChallenges(
      [
        'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
      ],
      false,
    );
    if (!challenge) throw new Error('no challenge');
    const header = authorization(
      challenge,
      { username: 'Mufasa', password: 'Circle Of Life' },
      { method: 'GET', uri: '/dir/index.html' },
      1,
      '0a4f113b',
    );
    expect(param(header, 'response')).toBe('6629fae49393a05397450978507c4ef1');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it("answers RFC 7616 §3.9.1's SHA-256 example, and prefers SHA-256 where both are offered (RFC 8760)", () => {
    const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
    const opaque = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';
    const challenges = parseChallenges(
      [
        `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="${nonce}", opaque="${opaque}"`,
        `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="${nonce}", opaque="${opaque}"`,
      ],
      true,
    );
    expect(challenges.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    const header = authorization(
      challenges[0] as (typeof challenges)[0],
      { username: 'Mufasa', password: 'Circle of Life' },
      { method: 'GET', uri: '/dir/index.html' },
      1,
      'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    );
    expect(param(header, 'response')).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('reuses a nonce with a rising nc, retries once for a new or stale nonce, not for a wrong password', () => {
    const session = digestSession({ username: 'hanvisa', password: 'pw' });
    const request = { method: 'PUBLISH', uri: 'sip:4711@example.se' };
    expect(session.answer(request)).toBeUndefined();
    const challenge = (nonce: string, extra = '') => ({
      status: 401,
      headers: new Map([
        ['www-authenticate', [`Digest realm="example.se", nonce="${nonce}", qop="auth"${extra}`]],
      ]),
    });
    expect(session.challenged(challenge('n1'), false)).toBe(true);
    expect(session.answer(request)?.[1]).toContain('nc=00000001');
    expect(session.answer(request)?.[1]).toContain('nc=00000002');
    // the same nonce refused although answered: wrong credentials, trying again cannot help
    expect(session.challenged(challenge('n1'), true)).toBe(false);
    expect(session.challenged(challenge('n1', ', stale=true'), true)).toBe(true);
    expect(session.challenged(challenge('n2'), true)).toBe(true);
    expect(session.answer(request)).toEqual(['Authorization', expect.stringContaining('nonce="n2"')]);
    expect(() => session.challenged({ status: 401, headers: new Map() }, false)).toThrow(/without a digest/);
  });

  it('skips challenges it cannot answer (Basic, auth-int only, an unknown algorithm)', () => {
    expect(
      parseChallenges(
        [
          'Basic realm="x"',
          'Digest realm="x", nonce="n", qop="auth-int"',
          'Digest realm="x", nonce="n", algorithm=SHA-512-256',
        ],
        false,
      ),
    ).toEqual([]);
  });
});
