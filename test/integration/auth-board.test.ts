// The board's access control over real HTTP: a node:http server mounts createAuth() in front of a
// stand-in for the board's routes (the real board lives in switchboard/board/), driven with fetch
// and, for the login page, a real headless Chromium.
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTING_ROLES,
  type Auth,
  type AuthOptions,
  createAuth,
  hashPassword,
  type User,
} from '../../switchboard/auth/index.js';
import { launchChromium } from '../support/browser.js';

const CHEAP = { N: 1024, r: 8, p: 1 };
let users: User[];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  users = [
    {
      username: 'anna',
      name: 'Anna Operatör',
      role: 'operator',
      orgs: '*',
      // The real default cost here, as in production; the others are cheap to keep the suite fast.
      passwordHash: await hashPassword('anna-password-1'),
    },
    {
      username: 'vera',
      name: 'Väggskärm',
      role: 'viewer',
      orgs: ['mala'],
      passwordHash: await hashPassword('vera-password-1', CHEAP),
    },
  ];
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Site {
  url: string;
  origin: string;
  auth: Auth;
  clock: { now: number };
}

/** A stand-in for the board: a page for every role, and one write only an operator may do. */
async function startSite(options: Partial<AuthOptions> = {}): Promise<Site> {
  const clock = { now: Date.UTC(2026, 10, 23, 7, 0) };
  const auth = createAuth({
    ...(options.openAccess ? {} : { users }),
    ...options,
    clock: () => clock.now,
  });
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    if (await auth.handle(req, res)) return;
    auth.securityHeaders(res);
    if (req.url === '/' && req.method === 'GET') {
      const s = auth.requireRole(req, res, ['operator', 'viewer', 'it']);
      if (!s) return;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      // The board would put the token in its page's script; this stand-in gives it to a logout form.
      res.end(`<!doctype html><html lang="sv"><title>Tavlan</title><h1 id="who">${s.name} (${s.role})</h1>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${s.csrfToken}"><button id="logout">Logga ut</button></form>`);
      return;
    }
    if (req.url === '/api/act' && req.method === 'POST') {
      const s = auth.requireRole(req, res, ACTING_ROLES);
      if (!s || !auth.checkCsrf(req, res, s)) return;
      req.resume();
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: true, by: s.username }));
      return;
    }
    res.statusCode = 404;
    res.end();
  };
  const server: Server = createServer((req, res) => {
    route(req, res).catch((e) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return { url: `${origin}/`, origin, auth, clock };
}

const cookieOf = (res: Response, name: string) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
const cookieValue = (res: Response, name: string) =>
  cookieOf(res, name)
    ?.split(';')[0]
    ?.slice(name.length + 1);

async function jsonLogin(
  site: Site,
  username: string,
  password: string,
  headers: Record<string, string> = {},
) {
  return fetch(`${site.origin}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: site.origin, ...headers },
    body: JSON.stringify({ username, password }),
    redirect: 'manual',
  });
}

async function loggedIn(site: Site, username = 'anna', password = 'anna-password-1') {
  const res = await jsonLogin(site, username, password);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: `hanvisa_session=${cookieValue(res, 'hanvisa_session')}`, token: body.csrfToken };
}

const act = (site: Site, headers: Record<string, string>) =>
  fetch(`${site.origin}/api/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });

describe('auth over HTTP', () => {
  it('serves the login page with security headers and no HSTS over plain http', async () => {
    const site = await startSite();
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
    const site = await startSite();
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

  it('logs in, guards the board by session, role and CSRF token, and logs out', async () => {
    const site = await startSite();
    expect((await fetch(site.url)).status).toBe(401);
    const nav = await fetch(site.url, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect([nav.status, nav.headers.get('location')]).toEqual([303, '/login?next=%2F']);

    const res = await jsonLogin(site, 'ANNA', 'anna-password-1');
    expect(res.status).toBe(200);
    expect(cookieOf(res, 'hanvisa_session')).toMatch(
      /^hanvisa_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/,
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
    const site = await startSite();
    const { cookie, token } = await loggedIn(site, 'vera', 'vera-password-1');
    expect((await fetch(site.url, { headers: { cookie } })).status).toBe(200);
    const res = await act(site, { cookie, 'x-csrf-token': token });
    expect([res.status, await res.json()]).toEqual([403, { error: 'the viewer role may not do this' }]);
  });

  it('answers 429 with Retry-After after 5 failures, even to the right password, until the window passes', async () => {
    const site = await startSite();
    for (let i = 0; i < 5; i++) expect((await jsonLogin(site, 'anna', `guess-${i}`)).status).toBe(401);
    const limited = await jsonLogin(site, 'anna', 'anna-password-1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(await limited.json()).toEqual({ error: 'too many failed logins', retryAfterSeconds: 900 });
    site.clock.now += 15 * 60 * 1000;
    expect((await jsonLogin(site, 'anna', 'anna-password-1')).status).toBe(200);
  });

  it('logs in through the form only with the login cookie token, then redirects to a local next', async () => {
    const site = await startSite();
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

  it('ends the session after 8 idle hours on the injected clock', async () => {
    const site = await startSite();
    const { cookie } = await loggedIn(site);
    site.clock.now += 8 * 3_600_000 - 1;
    expect((await fetch(site.url, { headers: { cookie } })).status).toBe(200);
    site.clock.now += 8 * 3_600_000;
    expect((await fetch(site.url, { headers: { cookie } })).status).toBe(401);
    expect(site.auth.sessions.size).toBe(0);
  });

  it('gives a new session id at login, so a planted id is worthless', async () => {
    const site = await startSite();
    const first = await loggedIn(site);
    const again = await jsonLogin(site, 'anna', 'anna-password-1', { cookie: first.cookie });
    expect(cookieValue(again, 'hanvisa_session')).not.toBe(first.cookie.split('=')[1]);
    expect((await fetch(site.url, { headers: { cookie: first.cookie } })).status).toBe(401);
  });

  it('marks cookies Secure and sends HSTS behind a trusted TLS proxy, and only then', async () => {
    const proxied = await startSite({ trustProxy: true });
    const res = await jsonLogin(proxied, 'anna', 'anna-password-1', {
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.9',
      origin: proxied.origin.replace('http:', 'https:'),
    });
    expect(res.status).toBe(200);
    expect(cookieOf(res, 'hanvisa_session')).toMatch(/; Secure$/);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');

    const direct = await startSite();
    const plain = await jsonLogin(direct, 'anna', 'anna-password-1', { 'x-forwarded-proto': 'https' });
    expect(cookieOf(plain, 'hanvisa_session')).not.toContain('Secure');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('rate-limits by the address the trusted proxy saw', async () => {
    const site = await startSite({
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

  it('refuses malformed requests with a reason and counts them', async () => {
    const site = await startSite();
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

  it('runs the demo in open access: an operator without login, loudly logged, still CSRF-checked', async () => {
    const lines: string[] = [];
    const log = { debug() {}, info() {}, warn: (m: string) => lines.push(m), error() {} };
    const site = await startSite({ openAccess: true, log });
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
    expect(() => createAuth({ users, openAccess: true })).toThrow('exactly one');
  });
});

describe('the login page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('logs in with the keyboard under the strict CSP, shows failures, and logs out', async () => {
    const site = await startSite();
    const context = await browser.newContext({ locale: 'sv-SE' });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // Script errors and CSP violations; the 401 of the failed login is logged too and expected.
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(site.url);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    // The stylesheet applied: the CSP let /login.css in.
    expect(await page.$eval('main', (m) => getComputedStyle(m).width)).toBe('352px');

    await page.keyboard.type('anna');
    await page.keyboard.press('Tab');
    await page.keyboard.type('fel lösenord');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#problem');
    expect(await page.textContent('#problem')).toBe('Fel användarnamn eller lösenord.');
    expect(await page.inputValue('#username')).toBe('anna');

    await page.fill('#password', 'anna-password-1');
    await Promise.all([page.waitForURL(site.url), page.press('#password', 'Enter')]);
    expect(await page.textContent('#who')).toBe('Anna Operatör (operator)');
    const cookie = (await context.cookies()).find((c) => c.name === 'hanvisa_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/auth-logged-in.png' });

    await Promise.all([page.waitForURL(/\/login$/), page.click('#logout')]);
    expect((await context.cookies()).some((c) => c.name === 'hanvisa_session')).toBe(false);
    await page.goto(`${site.origin}/login?lang=en`);
    expect(await page.textContent('h1')).toBe('Log in to the switchboard');
    await page.screenshot({ path: 'test-results/auth-login.png' });
    expect(problems).toEqual([]);
  });
});
