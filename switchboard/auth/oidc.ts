// The municipality's own login: OpenID Connect, authorization code flow with PKCE, `state` and `nonce`,
// through `openid-client` (certified; no OAuth by hand). GET /login/oidc sends the browser to the
// provider with the login's secrets in a sealed, short-lived cookie; GET /login/callback has
// openid-client check the answer (state, the code exchange with PKCE, the ID token's signature,
// issuer, audience, expiry and nonce), maps the claims to a role (oidc-mapping.ts) and creates the same
// Session a password login does, ending at the next check (`recheckMinutes`). docs/access.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as client from 'openid-client';
import { readSecretFile } from '../../config/secret-file.js';
import { safeNext } from './login-form.js';
import { pickLang } from './login-page.js';
import type { OidcConfig } from './oidc-config.js';
import { mapClaims } from './oidc-mapping.js';
import { type OidcProblem, oidcProblemPage } from './oidc-page.js';
import { pathOf } from './request.js';
import { redirect, sendHtml } from './responses.js';
import type { Route, RouteContext } from './routes.js';
import { readCookie, SESSION_COOKIE, serializeCookie } from './sessions.js';

/** The login under way, between the redirect to the provider and its answer. */
export const OIDC_COOKIE = 'hanvisa_oidc';
/** How long a login may take at the provider (typing a password, a second factor). */
const PENDING_MS = 10 * 60 * 1000;
/** answered logins remembered at most, for the replay check */
const MAX_USED_STATES = 100_000;

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  at: number;
}

const isPending = (v: unknown): v is Pending => {
  const p = v as Partial<Pending> | undefined;
  return (
    typeof p?.state === 'string' &&
    typeof p.nonce === 'string' &&
    typeof p.verifier === 'string' &&
    typeof p.next === 'string' &&
    typeof p.at === 'number'
  );
};

/** The claim an ID token check failed on (aud, exp, iss, nonce…), from openid-client's error's causes. */
function failedClaim(e: unknown): string | undefined {
  for (let cause = e; cause && typeof cause === 'object'; cause = (cause as { cause?: unknown }).cause) {
    const claim = (cause as { claim?: unknown }).claim;
    if (typeof claim === 'string') return claim;
  }
  return undefined;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface OidcContext extends RouteContext {
  config: OidcConfig;
  clock: () => number;
}

/** The routes /login/oidc and /login/callback. Reads the client secret now: a missing one stops the start. */
export function oidcRoutes(ctx: OidcContext): Record<string, Route> {
  const { config, sessions, log, reject, clock } = ctx;
  const secret = readSecretFile(config.clientSecretFile, 'OIDC client secret');
  const issuer = new URL(config.issuer);
  if (issuer.protocol !== 'https:' && !(config.allowHttp && LOOPBACK.has(issuer.hostname)))
    throw new Error(`OIDC issuer ${config.issuer}: https only (allowHttp is for a provider on this machine)`);
  const insecure = issuer.protocol === 'http:';
  // Discovery once, at the first login (a board starts while the provider is away), again after a failure.
  let discovered: Promise<client.Configuration> | undefined;
  let jwks: client.ExportedJWKSCache | undefined;
  const server = async () => {
    discovered ??= client
      .discovery(
        issuer,
        config.clientId,
        secret,
        undefined,
        insecure ? { execute: [client.allowInsecureRequests] } : {},
      )
      .catch((e: unknown) => {
        discovered = undefined;
        throw e;
      });
    return discovered;
  };
  // A configuration for each login, on the board's clock (a test's fake one too): openid-client reads
  // the time for the ID token's expiry as its own clock plus this skew.
  const relyingParty = async () => {
    const metadata = (await server()).serverMetadata();
    const skew = Math.round((clock() - Date.now()) / 1000);
    const c = new client.Configuration(metadata, config.clientId, {
      client_secret: secret,
      [client.clockSkew]: skew,
    });
    if (insecure) client.allowInsecureRequests(c);
    if (jwks) client.setJwksCache(c, jwks);
    return c;
  };
  /** states already answered, until their login would have expired anyway: a replayed answer is refused */
  const used = new Map<string, number>();
  const markUsed = (state: string, until: number) => {
    const now = clock();
    for (const [s, end] of used) if (end <= now) used.delete(s);
    // bounded against a flood of started logins: the oldest first (their codes are spent at the provider anyway)
    for (const s of used.keys()) {
      if (used.size < MAX_USED_STATES) break;
      used.delete(s);
    }
    used.set(state, until);
  };
  const clearCookie = (req: IncomingMessage) =>
    serializeCookie(OIDC_COOKIE, '', { secure: ctx.facts.isSecure(req), path: '/login', maxAge: 0 });
  const problem = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    kind: OidcProblem,
    next: string,
  ) => {
    const url = pathOf(req);
    res.setHeader('Set-Cookie', clearCookie(req));
    sendHtml(
      res,
      status,
      oidcProblemPage(
        pickLang(url.searchParams.get('lang'), req.headers['accept-language'], next),
        kind,
        next,
      ),
    );
  };

  const start = async (req: IncomingMessage, res: ServerResponse) => {
    const next = safeNext(pathOf(req).searchParams.get('next'));
    let rp: client.Configuration;
    try {
      rp = await relyingParty();
    } catch (e) {
      reject('oidc-provider-down', { error: (e as Error).message });
      return problem(req, res, 503, 'down', next);
    }
    const pending: Pending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next,
      at: clock(),
    };
    const target = client.buildAuthorizationUrl(rp, {
      redirect_uri: config.redirectUri,
      scope: config.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    // Lax: the provider's redirect back is a navigation from another site, which Strict would strip
    res.setHeader(
      'Set-Cookie',
      serializeCookie(OIDC_COOKIE, sessions.seal('oidc', pending), {
        secure: ctx.facts.isSecure(req),
        path: '/login',
        maxAge: PENDING_MS / 1000,
        sameSite: 'Lax',
      }),
    );
    redirect(res, target.href);
  };

  const callback = async (req: IncomingMessage, res: ServerResponse) => {
    const sealed = sessions.unseal('oidc', readCookie(req.headers.cookie, OIDC_COOKIE));
    const now = clock();
    if (!isPending(sealed) || now - sealed.at > PENDING_MS || now < sealed.at) {
      reject('oidc-state', { reason: isPending(sealed) ? 'login too old' : 'no login under way' });
      return problem(req, res, 400, 'failed', '/');
    }
    if (used.has(sealed.state)) {
      reject('oidc-replay', {});
      return problem(req, res, 400, 'failed', sealed.next);
    }
    markUsed(sealed.state, sealed.at + PENDING_MS);
    const answer = new URL(config.redirectUri);
    answer.search = pathOf(req).search;
    let claims: Record<string, unknown>;
    try {
      const rp = await relyingParty();
      const tokens = await client.authorizationCodeGrant(rp, answer, {
        pkceCodeVerifier: sealed.verifier,
        expectedState: sealed.state,
        expectedNonce: sealed.nonce,
        idTokenExpected: true,
      });
      jwks = client.getJwksCache(rp);
      claims = { ...tokens.claims() };
    } catch (e) {
      const claim = failedClaim(e);
      const reason =
        e instanceof client.AuthorizationResponseError
          ? 'oidc-provider-refused'
          : claim
            ? `oidc-id-token:${claim}`
            : 'oidc-failed';
      reject(reason, { error: (e as Error).message.slice(0, 200) });
      return problem(req, res, 403, 'failed', sealed.next);
    }
    const mapped = mapClaims(claims, config);
    if (!mapped.ok) {
      reject(mapped.reason, { detail: mapped.detail });
      return problem(req, res, 403, 'no-role', sealed.next);
    }
    // a fresh id at every login, as the password login does (session fixation)
    sessions.destroy(readCookie(req.headers.cookie, SESSION_COOKIE));
    const created = sessions.create(mapped.user, { expiresAt: now + config.recheckMinutes * 60_000 });
    log.info('logged in with the provider', { username: created.username, role: created.role });
    const secure = ctx.facts.isSecure(req);
    res.setHeader('Set-Cookie', [serializeCookie(SESSION_COOKIE, created.id, { secure }), clearCookie(req)]);
    redirect(res, sealed.next);
  };

  return {
    '/login/oidc': { methods: ['GET', 'HEAD'], run: start },
    '/login/callback': { methods: ['GET'], run: callback },
  };
}
