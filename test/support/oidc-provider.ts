// A real OpenID provider for the OIDC tests: oidc-provider 8 run as its own process
// (oidc-provider-script.mjs) on a free loopback port in a temp dir, with accounts the test can change
// while it runs (remove someone from a group) and a switch for ID tokens made out to another audience.
// `loginThrough` walks the authorization code flow with fetch, as a browser would: the board's
// redirect, the provider's login form, the redirect back; each cookie kept for the host that set it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OidcConfig } from '../../switchboard/auth/oidc-config.js';
import { freePort, waitForPort } from './mosquitto.js';
import { exited, spawnServer } from './server-process.js';

export interface ProviderAccount {
  name: string;
  groups: string[];
  extension?: string;
}

export interface ProviderControl {
  accounts: Record<string, ProviderAccount>;
  wrongAudience?: boolean;
}

export interface OidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** the file holding the client secret, as the board reads it */
  secretFile: string;
  /** replaces the accounts and switches; read by the provider on every request */
  control(control: ProviderControl): Promise<void>;
  dispose(): Promise<void>;
}

/** Sjövik's two people at the provider: Karin on the staff side (her extension's last 4 digits: 2101), Olle an operator. */
export const SJOVIK_ACCOUNTS: ProviderControl = {
  accounts: {
    'karin@sjovik.se': { name: 'Karin Andersson', groups: ['personal'], extension: '0512-55 21 01' },
    'olle@sjovik.se': { name: 'Olle Växel', groups: ['vaxeln'] },
  },
};

/**
 * The board's OIDC settings against a test provider: the operators' and the staff's groups of one
 * organisation, the extension from its claim's last 4 digits, plain HTTP on loopback; `more` adds
 * settings (a recheck interval, say).
 */
export function boardOidc(
  provider: OidcProvider,
  redirectUri: string,
  org: string,
  groups: { operator: string; staff: string },
  more: Record<string, unknown> = {},
): OidcConfig {
  return OidcConfig.parse({
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecretFile: provider.secretFile,
    redirectUri,
    scopes: ['openid', 'profile', 'groups', 'phone'],
    claims: { ext: 'extension', extLastDigits: 4 },
    roles: [
      { group: groups.operator, role: 'operator', orgs: [org] },
      { group: groups.staff, role: 'staff', orgs: [org] },
    ],
    allowHttp: true,
    ...more,
  });
}

export async function startOidcProvider(options: {
  redirectUris: string[];
  control: ProviderControl;
  /** seconds an ID token is valid; default the provider's 1 h */
  idTokenTtl?: number;
}): Promise<OidcProvider> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-oidc-'));
  const port = await freePort();
  const clientId = 'hanvisa-board';
  const clientSecret = 'a-client-secret-long-enough-for-hs256-0123456789';
  const controlFile = join(dir, 'control.json');
  const secretFile = join(dir, 'client-secret');
  const control = (c: ProviderControl) => writeFile(controlFile, JSON.stringify(c));
  await control(options.control);
  await writeFile(secretFile, `${clientSecret}\n`, { mode: 0o600 });
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      port,
      controlFile,
      clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris }],
      ...(options.idTokenTtl ? { idTokenTtl: options.idTokenTtl } : {}),
    }),
  );
  const log = { output: '' };
  const script = new URL('./oidc-provider-script.mjs', import.meta.url).pathname;
  const child = await spawnServer(
    'oidc-provider',
    process.execPath,
    [script, join(dir, 'config.json')],
    log,
    () => waitForPort(port, 20_000),
    { env: { ...process.env, NODE_ENV: 'test' } },
  );
  return {
    issuer: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    secretFile,
    control,
    async dispose() {
      child.kill('SIGTERM');
      await exited(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Cookies by host:port, as a browser keeps them (names and values only: the tests need no more). */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();
  header(url: URL): string {
    return [...(this.jars.get(url.host) ?? new Map<string, string>())]
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }
  take(url: URL, res: Response): void {
    const jar = this.jars.get(url.host) ?? new Map<string, string>();
    this.jars.set(url.host, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (/max-age=0/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }
  get(url: URL, name: string): string | undefined {
    return this.jars.get(url.host)?.get(name);
  }
}

/** One GET with the jar's cookies, its Set-Cookie kept; redirects are not followed. */
export async function jarFetch(jar: CookieJar, url: URL, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) },
  });
  jar.take(url, res);
  return res;
}

/**
 * From `start` (a board URL that leads to the provider) through the provider's login as `login`, up
 * to the redirect back to the board: returns that callback URL, not yet followed, so a test can
 * follow it, follow it twice, or change the clock first.
 */
export async function loginThrough(jar: CookieJar, start: URL, login: string): Promise<URL> {
  let url = start;
  for (let hops = 0; hops < 12; hops++) {
    const res = await jarFetch(jar, url);
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.pathname === '/login/callback') return next;
      url = next;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action)
      throw new Error(`no login form at ${url}: ${res.status} ${html.slice(0, 300)}`);
    const posted = await jarFetch(jar, new URL(action, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
    });
    const after = posted.headers.get('location');
    if (!after) throw new Error(`the provider's login answered ${posted.status}`);
    url = new URL(after, url);
  }
  throw new Error('too many redirects');
}
