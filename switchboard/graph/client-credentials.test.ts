// The client-credentials token against a local stand-in for Microsoft's token endpoint (its answers
// written from Microsoft's documentation; no tenant is reachable from here).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../test/support/manual-clock.js';
import { clientCredentialsToken, TokenError } from './client-credentials.js';

describe('client-credentials token', () => {
  let server: Server;
  let authority = '';
  let issued = 0;
  const forms: Record<string, string>[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => {
        text += d;
      });
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(text));
        forms.push(form);
        if (form.client_secret !== 'right') {
          res.writeHead(401, { 'content-type': 'application/json' });
          return res.end(
            JSON.stringify({
              error: 'invalid_client',
              error_description: 'AADSTS7000215: Invalid client secret provided.',
            }),
          );
        }
        issued++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            token_type: 'Bearer',
            expires_in: 3599,
            ext_expires_in: 3599,
            access_token: `t${issued}`,
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    authority = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('keeps the token until five minutes before it expires, shares one request, and renews after invalidate', async () => {
    const clock = manualClock(Date.parse('2026-05-04T07:00:00Z'));
    const tokens = clientCredentialsToken(
      { tenant: 'kommun.onmicrosoft.com', clientId: 'app', clientSecret: 'right', authority },
      clock,
    );
    const [a, b] = await Promise.all([tokens.get(), tokens.get()]);
    expect([a, b]).toEqual(['t1', 't1']);
    expect(forms.at(-1)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app',
      client_secret: 'right',
      scope: 'https://graph.microsoft.com/.default',
    });
    clock.advance(54 * 60_000);
    expect(await tokens.get()).toBe('t1');
    clock.advance(60_000);
    expect(await tokens.get()).toBe('t2');
    tokens.invalidate();
    expect(await tokens.get()).toBe('t3');
  });

  it('a wrong secret is a TokenError naming the status and the error code, not the secret', async () => {
    const tokens = clientCredentialsToken(
      { tenant: 't', clientId: 'app', clientSecret: 'wrong', authority },
      manualClock(0),
    );
    const failing = tokens.get();
    await expect(failing).rejects.toBeInstanceOf(TokenError);
    await expect(failing).rejects.toThrow('token endpoint 401 invalid_client');
  });
});
