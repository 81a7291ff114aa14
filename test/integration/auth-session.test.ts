// What a session may do over HTTP: the board guarded by session, role and CSRF token; logout; idle expiry.
import { describe, expect, it } from 'vitest';
import { act, authSites, cookieOf, cookieValue, jsonLogin, loggedIn } from '../support/auth-site.js';

const sites = authSites();

describe('auth over HTTP: sessions, roles and CSRF', () => {
  it('logs in, guards the board by session, role and CSRF token, and logs out', async () => {
    const site = await sites.start();
    expect((await fetch(site.url)).status).toBe(401);
    const nav = await fetch(site.url, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect([nav.status, nav.headers.get('location')]).toEqual([303, '/login?next=%2F']);

    const res = await jsonLogin(site, 'ANNA', 'anna-password-1');
    expect(res.status).toBe(200);
    // signed (claims.HMAC, docs/access.md), so any board with the same secret accepts it
    expect(cookieOf(res, 'hanvisa_session')).toMatch(
      /^hanvisa_session=[\w-]+\.[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const cookie = `hanvisa_session=${cookieValue(res, 'hanvisa_session')}`;
    const { csrfToken: csrf } = (await res.json()) as { csrfToken: string };
    expect(csrf).toMatch(/^[\w-]{43}$/);
    const view = await (await fetch(`${site.origin}/api/session`, { headers: { cookie } })).json();
    expect(view).toEqual({
      username: 'anna',
      name: 'Anna Operatör',
      role: 'operator',
      orgs: '*',
      csrfToken: csrf,
      openAccess: false,
    });

    expect(await (await fetch(site.url, { headers: { cookie } })).text()).toContain(
      'Anna Operatör (operator)',
    );
    const noToken = await act(site, { cookie, origin: site.origin });
    expect([noToken.status, await noToken.json()]).toEqual([403, { error: 'missing CSRF token' }]);
    expect((await act(site, { cookie, 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await act(site, { cookie, 'x-csrf-token': csrf, origin: 'http://evil.example' })).status).toBe(
      403,
    );
    expect((await act(site, { cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    const ok = await act(site, {
      cookie,
      'x-csrf-token': csrf,
      origin: site.origin,
      'sec-fetch-site': 'same-origin',
    });
    expect([ok.status, await ok.json()]).toEqual([200, { ok: true, by: 'anna' }]);
    expect(site.auth.rejected().csrf).toBe(4);

    const logoutNoToken = await fetch(`${site.origin}/logout`, { method: 'POST', headers: { cookie } });
    expect(logoutNoToken.status).toBe(403);
    const logout = await fetch(`${site.origin}/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(logout.status).toBe(204);
    expect(cookieOf(logout, 'hanvisa_session')).toBe(
      'hanvisa_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0',
    );
    expect((await fetch(site.url, { headers: { cookie } })).status).toBe(401);
    expect((await act(site, { cookie, 'x-csrf-token': csrf })).status).toBe(401);
  });

  it('lets a viewer see the board but not act', async () => {
    const site = await sites.start();
    const { cookie, token } = await loggedIn(site, 'vera', 'vera-password-1');
    expect((await fetch(site.url, { headers: { cookie } })).status).toBe(200);
    const res = await act(site, { cookie, 'x-csrf-token': token });
    expect([res.status, await res.json()]).toEqual([403, { error: 'the viewer role may not do this' }]);
  });

  it('ends the session after 8 idle hours on the injected clock', async () => {
    const site = await sites.start();
    const { cookie } = await loggedIn(site);
    site.clock.now += 8 * 3_600_000 - 1;
    expect((await fetch(site.url, { headers: { cookie } })).status).toBe(200);
    site.clock.now += 8 * 3_600_000;
    expect((await fetch(site.url, { headers: { cookie } })).status).toBe(401);
    expect(site.auth.sessions.size).toBe(0);
  });
});
