// The board's access control over real HTTP, for the auth-*.test.ts files: a node:http server mounts
// createAuth() in front of a stand-in for the board's routes (the real board lives in
// switchboard/board/), driven with fetch, and for the login page with a real headless Chromium.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, expect } from 'vitest';
import {
  ACTING_ROLES,
  type Auth,
  type AuthOptions,
  createAuth,
  hashPassword,
  type User,
} from '../../switchboard/auth/index.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

export interface Site {
  url: string;
  origin: string;
  auth: Auth;
  clock: { now: number };
}

export interface AuthSites {
  /** anna (operator, all orgs, password anna-password-1) and vera (viewer of mala, vera-password-1) */
  readonly users: User[];
  /** A stand-in for the board: a page for every role, and one write only an operator may do. */
  start(options?: Partial<AuthOptions>): Promise<Site>;
  /** run after the test, before the sites close */
  onCleanup(cleanup: () => Promise<unknown>): void;
}

/** The users and the sites of one test file: call it at the top; each test's sites close after it. */
export function authSites(): AuthSites {
  let users: User[] = [];
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

  async function start(options: Partial<AuthOptions> = {}): Promise<Site> {
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

  return {
    get users() {
      return users;
    },
    start,
    onCleanup: (cleanup) => cleanups.push(cleanup),
  };
}

export const cookieOf = (res: Response, name: string) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
export const cookieValue = (res: Response, name: string) =>
  cookieOf(res, name)
    ?.split(';')[0]
    ?.slice(name.length + 1);

export async function jsonLogin(
  site: Pick<Site, 'origin'>,
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

export async function loggedIn(site: Pick<Site, 'origin'>, username = 'anna', password = 'anna-password-1') {
  const res = await jsonLogin(site, username, password);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: `hanvisa_session=${cookieValue(res, 'hanvisa_session')}`, token: body.csrfToken };
}

/** The stand-in's one write. */
export const act = (site: Site, headers: Record<string, string>) =>
  fetch(`${site.origin}/api/act`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
