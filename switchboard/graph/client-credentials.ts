// A Microsoft identity platform access token for an app (OAuth 2.0 client credentials: POST
// {authority}/{tenant}/oauth2/v2.0/token), kept until five minutes before it expires and fetched again
// then, or at once after Graph said 401 (`invalidate`). One request at a time: callers that ask while
// one is under way share it. For every Graph client of hanvisa (the Teams presence mirror; the calendar
// bridge's Graph source takes a token function and can use this one's `get`).
import type { Clock } from '../../rules/clock.js';

export interface ClientCredentials {
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** default https://login.microsoftonline.com */
  authority?: string;
  /** default https://graph.microsoft.com/.default */
  scope?: string;
}

export interface TokenSource {
  get(): Promise<string>;
  /** forget the token (Graph answered 401): the next get fetches a new one */
  invalidate(): void;
}

const EARLY_MS = 5 * 60_000;

export class TokenError extends Error {}

export function clientCredentialsToken(settings: ClientCredentials, clock: Pick<Clock, 'now'>): TokenSource {
  const url = `${settings.authority ?? 'https://login.microsoftonline.com'}/${encodeURIComponent(settings.tenant)}/oauth2/v2.0/token`;
  let token: { value: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: settings.clientId,
          client_secret: settings.clientSecret,
          scope: settings.scope ?? 'https://graph.microsoft.com/.default',
        }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (e) {
      throw new TokenError(`token endpoint unreachable: ${(e as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!res.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number')
      throw new TokenError(
        `token endpoint ${res.status}${typeof body.error === 'string' ? ` ${body.error}` : ''}`,
      );
    token = {
      value: body.access_token,
      renewAt: clock.now() + Math.max(0, body.expires_in * 1000 - EARLY_MS),
    };
    return token.value;
  };

  return {
    get() {
      if (token && clock.now() < token.renewAt) return Promise.resolve(token.value);
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      token = undefined;
    },
  };
}
