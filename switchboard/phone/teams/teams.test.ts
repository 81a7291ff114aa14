// The Teams presence mirror against a local stand-in for Microsoft's token endpoint and Graph (no
// Microsoft tenant can be reached from here: its answers are written from Microsoft's Graph
// documentation, not recorded from a tenant). It records what the adapter sends: the client-credentials
// token (renewed when it runs out, and after a 401), the application presence session and its renewal
// before the 240-minute limit, the status message with the return time as its expiry, Exchange's
// automatic replies for a vacation and their removal on reopen (also after a restart), and a private
// reason shown only as "away".
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../../protocol/index.js';
import { manualClock } from '../../../test/support/manual-clock.js';
import type { PhoneListener, PhoneSystem, Referral } from '../port.js';
import { createTeamsPresence } from './adapter.js';

const APP = '0b5c6f1e-3a2d-4e8f-9c7b-1d2e3f4a5b6c';
const USER = 'anna.ek@grastorp.se';
const MIN = 60_000;
const MONDAY_0905 = Date.parse('2026-05-04T07:05:00.000Z');

interface Seen {
  method: string;
  path: string;
  auth?: string;
  body: unknown;
}

describe('Teams presence through Graph (a local stand-in answering as Microsoft documents)', () => {
  let server: Server;
  let base = '';
  let dir: string;
  const seen: Seen[] = [];
  let tokens = 0;
  /** status codes to answer the next Graph calls with, before 200 again */
  const failures: number[] = [];
  const links: boolean[] = [];
  const clock = manualClock(MONDAY_0905);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-teams-'));
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => {
        text += d;
      });
      req.on('end', () => {
        const path = req.url ?? '';
        if (path === '/tenant-1/oauth2/v2.0/token') {
          tokens++;
          seen.push({ method: req.method ?? '', path, body: Object.fromEntries(new URLSearchParams(text)) });
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(
            JSON.stringify({
              token_type: 'Bearer',
              expires_in: 3599,
              ext_expires_in: 3599,
              access_token: `token-${tokens}`,
            }),
          );
        }
        seen.push({
          method: req.method ?? '',
          path,
          auth: req.headers.authorization,
          body: text ? JSON.parse(text) : undefined,
        });
        const fail = failures.shift();
        if (fail) {
          res.writeHead(fail, { 'content-type': 'application/json' });
          return res.end(
            JSON.stringify({
              error: {
                code: fail === 401 ? 'InvalidAuthenticationToken' : 'ServiceUnavailable',
                message: '…',
              },
            }),
          );
        }
        // setPresence, clearPresence, setStatusMessage: 200 and no body; mailboxSettings: the settings
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(path.endsWith('/mailboxSettings') ? text : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const open = async (): Promise<PhoneSystem> => {
    const teams = createTeamsPresence({
      credentials: { tenant: 'tenant-1', clientId: APP, clientSecret: 's3cret', authority: base },
      users: { '4711': USER },
      sessionId: APP,
      graph: `${base}/v1.0`,
      stateFile: join(dir, 'teams.json'),
      clock,
    });
    const listener: PhoneListener = {
      queue: () => {},
      call: () => {},
      voicemail: () => {},
      line: () => {},
      extCall: () => {},
      link: (up) => void links.push(up),
      fault: () => {},
    };
    await teams.open(listener);
    return teams;
  };

  let seq = 0;
  const referral = (p: Partial<Presence>, extra: Partial<Referral> = {}): Referral => {
    const at = new Date(clock.now()).toISOString();
    return {
      ext: '4711',
      presence: {
        v: 1,
        status: 'away',
        reason: 'lunch',
        since: at,
        until: null,
        alt: null,
        seq: ++seq,
        by: { kind: 'desk', id: 'd' },
        at,
        ...p,
      },
      label: 'Lunch',
      locale: 'sv',
      timeZone: 'Europe/Stockholm',
      ...extra,
    };
  };
  const graphCalls = () => seen.filter((s) => s.path.startsWith('/v1.0'));
  const u = `/v1.0/users/${encodeURIComponent(USER)}`;

  it('lunch: an away session and "Lunch, tillbaka 09:50" expiring then; reopen clears both', async () => {
    const teams = await open();
    await vi.waitFor(() => expect(links).toContain(true));
    teams.referralChanged(referral({ until: '2026-05-04T07:50:00.000Z' }));
    await vi.waitFor(() => expect(graphCalls()).toHaveLength(2));
    expect(seen[0]).toMatchObject({
      path: '/tenant-1/oauth2/v2.0/token',
      body: {
        grant_type: 'client_credentials',
        client_id: APP,
        client_secret: 's3cret',
        scope: 'https://graph.microsoft.com/.default',
      },
    });
    expect(graphCalls()).toEqual([
      {
        method: 'POST',
        path: `${u}/presence/setPresence`,
        auth: 'Bearer token-1',
        body: { sessionId: APP, availability: 'Away', activity: 'Away', expirationDuration: 'PT45M' },
      },
      {
        method: 'POST',
        path: `${u}/presence/setStatusMessage`,
        auth: 'Bearer token-1',
        body: {
          statusMessage: {
            message: { content: 'Lunch, tillbaka 09:50', contentType: 'text' },
            expiryDateTime: { dateTime: '2026-05-04T07:50:00.000', timeZone: 'UTC' },
          },
        },
      },
    ]);
    seen.length = 0;
    teams.referralChanged(referral({ status: 'available', reason: null, until: null }));
    await vi.waitFor(() => expect(graphCalls()).toHaveLength(2));
    expect(graphCalls().map((c) => [c.path, c.body])).toEqual([
      [`${u}/presence/clearPresence`, { sessionId: APP }],
      [
        `${u}/presence/setStatusMessage`,
        { statusMessage: { message: { content: '', contentType: 'text' } } },
      ],
    ]);
    await teams.close();
  });

  it('vacation: automatic replies with the return date, the session renewed before it runs out, the token too; reopen after a restart switches the replies off', async () => {
    let teams = await open();
    teams.referralChanged(
      referral({ reason: 'vacation', until: '2026-05-11T06:00:00.000Z' }, { label: 'Semester' }),
    );
    await vi.waitFor(() => expect(graphCalls()).toHaveLength(3));
    const [presence, status, replies] = graphCalls();
    expect(presence?.body).toMatchObject({ expirationDuration: 'PT240M' });
    expect(status?.body).toMatchObject({
      statusMessage: { message: { content: 'Semester, tillbaka måndag 11 maj kl. 08:00' } },
    });
    expect(replies).toMatchObject({
      method: 'PATCH',
      path: `${u}/mailboxSettings`,
      body: {
        automaticRepliesSetting: {
          status: 'scheduled',
          scheduledStartDateTime: { dateTime: '2026-05-04T07:05:00.000', timeZone: 'UTC' },
          scheduledEndDateTime: { dateTime: '2026-05-11T06:00:00.000', timeZone: 'UTC' },
          internalReplyMessage: 'Jag är inte på plats. Tillbaka måndag 11 maj kl. 08:00.',
        },
      },
    });
    // two minutes before the 240-minute session ends it is set again, with a new token (the first ran out)
    seen.length = 0;
    const tokensBefore = tokens;
    clock.advance(238 * MIN);
    await vi.waitFor(() => expect(graphCalls().some((c) => c.path.endsWith('/setPresence'))).toBe(true));
    expect(tokens).toBe(tokensBefore + 1);
    await vi.waitFor(() => expect(graphCalls()).toHaveLength(3));

    // a restart, then back: the Out of Office hanvisa set goes (the state file remembers it)
    await teams.close();
    teams = await open();
    seen.length = 0;
    teams.referralChanged(referral({ status: 'available', reason: null, until: null }));
    await vi.waitFor(() => expect(graphCalls()).toHaveLength(3));
    expect(graphCalls()[2]).toMatchObject({
      method: 'PATCH',
      path: `${u}/mailboxSettings`,
      body: { automaticRepliesSetting: { status: 'disabled' } },
    });
    await teams.close();
  });

  it('a private reason is only "away"; a 401 renews the token; a 503 marks the link down and is tried again', async () => {
    const teams = await open();
    failures.push(401);
    teams.referralChanged(
      referral({ reason: 'sick', until: '2026-05-04T14:00:00.000Z' }, { label: 'Sjuk', private: true }),
    );
    await vi.waitFor(() => expect(graphCalls()).toHaveLength(3));
    expect(graphCalls()[0]?.auth).not.toBe(graphCalls()[1]?.auth);
    expect(graphCalls()[2]?.body).toMatchObject({
      statusMessage: { message: { content: 'Borta, tillbaka 16:00' } },
    });
    expect(JSON.stringify(seen)).not.toContain('Sjuk');

    seen.length = 0;
    links.length = 0;
    failures.push(503);
    teams.referralChanged(referral({ status: 'available', reason: null, until: null }));
    await vi.waitFor(() => expect(links).toEqual([false]));
    clock.advance(MIN);
    await vi.waitFor(() => expect(links).toEqual([false, true]));
    expect(graphCalls().filter((c) => c.path.endsWith('/clearPresence'))).toHaveLength(2);
    await teams.close();
  });
});
