// The municipality's own login against a real OpenID provider (oidc-provider 8 as its own process),
// the real board over Mosquitto, fetch as the browser: the code flow with PKCE into each page; groups
// mapped to roles, the extension from a claim; and what must be refused: an ID token for another
// audience, an expired one, a replayed answer, someone removed from the group (next login refused,
// the open session ended at its next check).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Auth, createAuth } from '../../switchboard/auth/index.js';
import type { OidcConfig } from '../../switchboard/auth/oidc-config.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
import { demoDirectory } from '../../switchboard/simulator/scenario.js';
import { authSites } from '../support/auth-site.js';
import { freePort, type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import {
  boardOidc,
  CookieJar,
  jarFetch,
  loginThrough,
  type OidcProvider,
  type ProviderControl,
  startOidcProvider,
} from '../support/oidc-provider.js';

const ORG = 'mala';
const RECHECK_MINUTES = 60;
const ACCOUNTS: ProviderControl = {
  accounts: {
    'olle@mala.se': { name: 'Olle Operatör', groups: ['vaxel-operatorer'] },
    'per@mala.se': {
      name: 'Per Lind',
      groups: ['alla-anstallda', 'hanvisa-personal'],
      extension: '0512-55 21 01',
    },
    'nils@mala.se': { name: 'Nils Utan Grupp', groups: ['alla-anstallda'] },
  },
};

let mosquitto: Mosquitto;
let provider: OidcProvider;
let board: Board;
let auth: Auth;
let storage: Storage;
let dir: string;
let oidc: OidcConfig;
const clock = { offset: 0 };
const sites = authSites();

beforeAll(async () => {
  [mosquitto, dir] = await Promise.all([startMosquitto(), mkdtemp(join(tmpdir(), 'hanvisa-oidc-test-'))]);
  const publisher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
  for (const m of demoDirectory(ORG)) await publishMessage(publisher, m);
  await publisher.endAsync();
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/login/callback`;
  // ID tokens valid 2 min, so a fake clock 5 min on (inside the board's 10 min for a login) finds one expired
  provider = await startOidcProvider({ redirectUris: [redirectUri], control: ACCOUNTS, idTokenTtl: 120 });
  oidc = boardOidc(
    provider,
    redirectUri,
    ORG,
    { operator: 'vaxel-operatorer', staff: 'hanvisa-personal' },
    { recheckMinutes: RECHECK_MINUTES },
  );
  auth = createAuth({ oidc, clock: () => Date.now() + clock.offset });
  storage = await openStorage(join(dir, 'record.db'));
  board = await startBoard({ brokerUrl: mosquitto.url, port, orgs: [ORG], auth, stats: { storage } });
  await vi.waitFor(() => expect(board.model.row(ORG, '2101')).toBeDefined(), { timeout: 5000 });
}, 30_000);

afterAll(async () => {
  await board?.close();
  await storage?.close();
  await provider?.dispose();
  await mosquitto?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const at = (path: string) => new URL(path, board.url);

/** The whole login as `login`, starting from the page asked for; returns the jar and the final answer. */
async function logIn(login: string, page = '/') {
  const jar = new CookieJar();
  const first = await jarFetch(jar, at(page), { headers: { accept: 'text/html' } });
  expect(first.status).toBe(303);
  const callback = await loginThrough(jar, new URL(first.headers.get('location') ?? '', board.url), login);
  const answer = await jarFetch(jar, callback);
  return { jar, callback, answer };
}

const session = async (jar: CookieJar) => jarFetch(jar, at('/api/session'));

describe('login with the municipality’s provider', () => {
  it('sends a page visitor through the provider and back to the page, as the role of their group', async () => {
    const { jar, answer } = await logIn('olle@mala.se', '/?org=mala');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/?org=mala');
    const me = (await (await session(jar)).json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      username: 'olle@mala.se',
      name: 'Olle Operatör',
      role: 'operator',
      orgs: [ORG],
    });
    expect((await jarFetch(jar, at('/'))).status).toBe(200);
    expect((await jarFetch(jar, at('/api/snapshot'))).status).toBe(200);
  });

  it('logs in to the statistics page (and the staff page, below)', async () => {
    const { jar, answer } = await logIn('olle@mala.se', '/stats');
    expect(answer.headers.get('location')).toBe('/stats');
    const stats = await jarFetch(jar, at('/stats'));
    expect(stats.status).toBe(200);
    expect(stats.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('makes staff of the staff group, with their extension from the phone number claim', async () => {
    const { jar, answer } = await logIn('per@mala.se', '/staff/');
    expect(answer.headers.get('location')).toBe('/staff/');
    expect((await jarFetch(jar, at('/staff/'))).status).toBe(200);
    expect(((await (await jarFetch(jar, at('/api/me'))).json()) as { ext: string }).ext).toBe('2101');
    const me = (await (await session(jar)).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ role: 'staff', orgs: [ORG], ext: '2101' });
    const { csrfToken } = me as { csrfToken: string };
    const res = await jarFetch(jar, at(`/api/presence/${ORG}/2101`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify({ open: true }),
    });
    expect(res.status).toBe(200);
  });

  it('refuses someone in no mapped group, and says why', async () => {
    const before = auth.rejected()['oidc-no-role'] ?? 0;
    const { jar, answer } = await logIn('nils@mala.se');
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('data-problem="no-role"');
    expect(auth.rejected()['oidc-no-role']).toBe(before + 1);
    expect((await session(jar)).status).toBe(401);
  });
});

describe('what the board refuses', () => {
  it('refuses an ID token made out to another application (wrong audience)', async () => {
    await provider.control({ ...ACCOUNTS, wrongAudience: true });
    try {
      const { jar, answer } = await logIn('olle@mala.se');
      expect(answer.status).toBe(403);
      expect(auth.rejected()['oidc-id-token:aud']).toBe(1);
      expect((await session(jar)).status).toBe(401);
    } finally {
      await provider.control(ACCOUNTS);
    }
  });

  it('refuses an expired ID token', async () => {
    const jar = new CookieJar();
    const first = await jarFetch(jar, at('/login/oidc?next=/'));
    const callback = await loginThrough(
      jar,
      new URL(first.headers.get('location') ?? '', board.url),
      'olle@mala.se',
    );
    clock.offset += 5 * 60_000; // the token lives 2 min (+30 s tolerance); the login may take 10
    try {
      const answer = await jarFetch(jar, callback);
      expect(answer.status).toBe(403);
      expect(auth.rejected()['oidc-id-token:exp']).toBe(1);
      expect((await session(jar)).status).toBe(401);
    } finally {
      clock.offset = 0;
    }
  });

  it('refuses a replayed answer, with the same login cookie', async () => {
    const jar = new CookieJar();
    const first = await jarFetch(jar, at('/login/oidc?next=/'));
    const pending = jar.get(at('/login'), 'hanvisa_oidc');
    const callback = await loginThrough(
      jar,
      new URL(first.headers.get('location') ?? '', board.url),
      'olle@mala.se',
    );
    expect((await jarFetch(jar, callback)).status).toBe(303);
    // an attacker holding the whole answer, cookie included
    const replay = await fetch(callback, {
      redirect: 'manual',
      headers: { cookie: `hanvisa_oidc=${pending}` },
    });
    expect(replay.status).toBe(400);
    expect(
      replay.headers.getSetCookie().some((c) => c.startsWith('hanvisa_session=') && !c.includes('Max-Age=0')),
    ).toBe(false);
    expect(auth.rejected()['oidc-replay']).toBe(1);
  });

  it('refuses an answer with no login under way (no cookie, a forged state)', async () => {
    const forged = await fetch(at('/login/callback?code=abc&state=xyz'), { redirect: 'manual' });
    expect(forged.status).toBe(400);
    expect(auth.rejected()['oidc-state']).toBeGreaterThanOrEqual(1);
  });

  it('ends the session of someone removed from the group at its next check, and refuses their next login', async () => {
    const { jar } = await logIn('per@mala.se');
    expect((await session(jar)).status).toBe(200);
    const removed = structuredClone(ACCOUNTS);
    const per = removed.accounts['per@mala.se'];
    if (per) per.groups = ['alla-anstallda'];
    await provider.control(removed);
    try {
      // the next login is refused at once ...
      const again = await logIn('per@mala.se');
      expect(again.answer.status).toBe(403);
      expect(await again.answer.text()).toContain('data-problem="no-role"');
      // ... the open session stands until its check (no provider call per request) ...
      clock.offset += (RECHECK_MINUTES - 1) * 60_000;
      expect((await session(jar)).status).toBe(200);
      // ... and then ends: the page is sent to the login, which is refused
      clock.offset += 2 * 60_000;
      expect((await session(jar)).status).toBe(401);
    } finally {
      clock.offset = 0;
      await provider.control(ACCOUNTS);
    }
  });
});

describe('beside the users file', () => {
  it('sends /login to the provider, and keeps the password login for break-glass at /login?local=1', async () => {
    const site = await sites.start({ oidc });
    const login = await fetch(`${site.origin}/login?next=%2F`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/login/oidc?next=%2F');
    const local = await fetch(`${site.origin}/login?local=1`, { redirect: 'manual' });
    expect(local.status).toBe(200);
    expect(await local.text()).toContain('id="password"');
    const json = await fetch(`${site.origin}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'vera', password: 'vera-password-1' }),
    });
    expect(json.status).toBe(200);
  });
});
