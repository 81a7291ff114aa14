// Logging in over HTTP: the login page, password and form logins, a fresh session id, open access.
import { describe, expect, it } from 'vitest';
import { createAuth } from '../../switchboard/auth/index.js';
import { act, authSites, cookieOf, cookieValue, jsonLogin, loggedIn } from '../support/auth-site.js';

const sites = authSites();

describe('auth over HTTP: the login', () => {
  it('serves the login page with security headers and no HSTS over plain http', async () => {
    const site = await sites.start();
    const res = await fetch(`${site.origin}/login?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(cookieOf(res, 'hanvisa_login')).toMatch(
      /^hanvisa_login=[\w-]{43}; Path=\/login; HttpOnly; SameSite=Strict; Max-Age=3600$/,
    );
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).not.toMatch(/<script|style=/);
    expect((await fetch(`${site.origin}/login.css`)).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('refuses a wrong password and an unknown user alike, setting no session', async () => {
    const site = await sites.start();
    for (const [u, p] of [
      ['anna', 'wrong-password'],
      ['nobody', 'anna-password-1'],
    ] as const) {
      const res = await jsonLogin(site, u, p);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'wrong username or password' });
      expect(cookieOf(res, 'hanvisa_session')).toBeUndefined();
    }
    expect(site.auth.rejected()['login-failed']).toBe(2);
  });

  it('logs in through the form only with the login cookie token, then redirects to a local next', async () => {
    const site = await sites.start();
    const page = await fetch(`${site.origin}/login?next=%2F%3Forg%3Dmala`);
    const loginCookie = cookieValue(page, 'hanvisa_login') as string;
    const token = /name="csrf" value="([\w-]+)"/.exec(await page.text())?.[1];
    expect(token).toBe(loginCookie);
    const post = (fields: Record<string, string>, cookie = `hanvisa_login=${loginCookie}`) =>
      fetch(`${site.origin}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(fields),
        redirect: 'manual',
      });
    const good = { username: 'anna', password: 'anna-password-1', next: '/?org=mala' };
    const forged = await post({ ...good, csrf: token as string }, '');
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('role="alert"');
    const wrong = await post({ ...good, password: 'nope', csrf: token as string });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Fel användarnamn eller lösenord.');
    const offsite = await post({ ...good, next: '//evil.example/', csrf: token as string });
    expect([offsite.status, offsite.headers.get('location')]).toEqual([303, '/']);
    const res = await post({ ...good, csrf: token as string });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/?org=mala']);
    expect(cookieOf(res, 'hanvisa_login')).toContain('Max-Age=0');
  });

  it('gives a new session id at login, so a planted id is worthless', async () => {
    const site = await sites.start();
    const first = await loggedIn(site);
    const again = await jsonLogin(site, 'anna', 'anna-password-1', { cookie: first.cookie });
    expect(cookieValue(again, 'hanvisa_session')).not.toBe(first.cookie.split('=')[1]);
    expect((await fetch(site.url, { headers: { cookie: first.cookie } })).status).toBe(401);
  });

  it('runs the demo in open access: an operator without login, loudly logged, still CSRF-checked', async () => {
    const lines: string[] = [];
    const log = { debug() {}, info() {}, warn: (m: string) => lines.push(m), error() {} };
    const site = await sites.start({ openAccess: true, log });
    expect(lines[0]).toMatch(/^OPEN ACCESS/);
    const view = (await (await fetch(`${site.origin}/api/session`)).json()) as {
      role: string;
      csrfToken: string;
      openAccess: boolean;
    };
    expect(view).toMatchObject({ role: 'operator', openAccess: true });
    expect((await act(site, {})).status).toBe(403);
    expect((await act(site, { 'x-csrf-token': view.csrfToken })).status).toBe(200);
    const login = await fetch(`${site.origin}/login`, { redirect: 'manual' });
    expect([login.status, login.headers.get('location')]).toEqual([303, '/']);
  });

  it('refuses to start with no users source or with two', () => {
    expect(() => createAuth({})).toThrow('exactly one of usersFile, users or openAccess');
    expect(() => createAuth({ users: sites.users, openAccess: true })).toThrow('exactly one');
  });
});
