// Refused logins over HTTP: the rate limit and malformed requests, each with its reason, counted.
import { describe, expect, it } from 'vitest';
import { authSites, jsonLogin } from '../support/auth-site.js';

const sites = authSites();

describe('auth over HTTP: refusals', () => {
  it('answers 429 with Retry-After after 5 failures, even to the right password, until the window passes', async () => {
    const site = await sites.start();
    for (let i = 0; i < 5; i++) expect((await jsonLogin(site, 'anna', `guess-${i}`)).status).toBe(401);
    const limited = await jsonLogin(site, 'anna', 'anna-password-1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(await limited.json()).toEqual({ error: 'too many failed logins', retryAfterSeconds: 900 });
    site.clock.now += 15 * 60 * 1000;
    expect((await jsonLogin(site, 'anna', 'anna-password-1')).status).toBe(200);
  });

  it('refuses malformed requests with a reason and counts them', async () => {
    const site = await sites.start();
    const post = (body: string, type: string) =>
      fetch(`${site.origin}/login`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: [Promise<Response>, number, string][] = [
      [post('{"username":', 'application/json'), 400, 'body is not JSON'],
      [post('["anna"]', 'application/json'), 400, 'body must be a JSON object'],
      [post('{"username":"anna","password":1}', 'application/json'), 400, 'field password must be a string'],
      [
        post('username=anna', 'text/plain'),
        415,
        'send application/x-www-form-urlencoded or application/json',
      ],
      [
        post(JSON.stringify({ username: 'a', password: 'x'.repeat(9000) }), 'application/json'),
        413,
        'body larger than 8192 bytes',
      ],
      [
        post(JSON.stringify({ username: 'a'.repeat(65), password: 'x' }), 'application/json'),
        400,
        'username (1-64) and password (up to 1024) required',
      ],
      [fetch(`${site.origin}/logout`), 405, 'method GET not allowed here'],
    ];
    for (const [pending, status, error] of cases) {
      const res = await pending;
      expect([res.status, await res.json()]).toEqual([status, { error }]);
    }
    expect(site.auth.rejected()).toMatchObject({ 'bad-request': 6, 'login-malformed': 1 });
    // Still serving.
    expect((await jsonLogin(site, 'anna', 'anna-password-1')).status).toBe(200);
  });
});
