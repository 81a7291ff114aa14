// The auth layer behind a trusted TLS proxy: Secure cookies and HSTS only then, the client's address.
import { describe, expect, it } from 'vitest';
import { authSites, cookieOf, jsonLogin } from '../support/auth-site.js';

const sites = authSites();

describe('auth over HTTP: behind a TLS proxy', () => {
  it('marks cookies Secure and sends HSTS behind a trusted TLS proxy, and only then', async () => {
    const proxied = await sites.start({ trustProxy: true });
    const res = await jsonLogin(proxied, 'anna', 'anna-password-1', {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.9',
      origin: proxied.origin.replace('http:', 'https:'),
    });
    expect(res.status).toBe(200);
    expect(cookieOf(res, 'hanvisa_session')).toMatch(/; Secure$/);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');

    const direct = await sites.start();
    const plain = await jsonLogin(direct, 'anna', 'anna-password-1', { 'x-forwarded-proto': 'https' });
    expect(cookieOf(plain, 'hanvisa_session')).not.toContain('Secure');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('rate-limits by the address the trusted proxy saw', async () => {
    const site = await sites.start({
      trustProxy: true,
      rateLimit: { perAddress: { max: 2, windowMs: 60_000 } },
    });
    const from = (ip: string, user: string) =>
      jsonLogin(site, user, 'wrong', { 'x-forwarded-for': `10.9.9.9, ${ip}` });
    expect((await from('203.0.113.1', 'a')).status).toBe(401);
    expect((await from('203.0.113.1', 'b')).status).toBe(401);
    expect((await from('203.0.113.1', 'c')).status).toBe(429);
    expect((await from('203.0.113.2', 'c')).status).toBe(401);
  });
});
