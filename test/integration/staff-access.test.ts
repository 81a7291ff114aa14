// The staff and manager roles at the board's HTTP API, over real parts (Mosquitto, the board with a
// users list): a person refers their own phone and handles their own messages (SAMSA §4.4: everyone
// refers, from the web too), and nobody but an operator touches anyone else, in any organisation; the
// same extension number in another municipality is someone else.
import fc from 'fast-check';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { supersedes } from '../../protocol/index.js';
import { createAuth, hashPassword, type User } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { verifyLink } from '../../switchboard/notify/links.js';
import { publishMessage } from '../../switchboard/publish.js';
import { DEMO_PEOPLE, demoDirectory } from '../../switchboard/simulator/scenario.js';
import { type BoardLogin, passwordLogin } from '../support/board-login.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORGS = ['mala', 'sorsele'];
const EXTS = DEMO_PEOPLE.slice(0, 4).map((p) => p.ext);
const [OWN = '', OTHER = ''] = EXTS;
const CHEAP = { N: 1024, r: 8, p: 1 };
const NOTIFY = { url: 'https://hanvisa.mala.se/notify/', linkSecret: 'a-link-secret-'.padEnd(40, 's') };

let mosquitto: Mosquitto;
let board: Board;
const logins = new Map<string, BoardLogin>();
let users: User[];

const as = (username: string) => {
  const login = logins.get(username);
  if (!login) throw new Error(`no login ${username}`);
  return login;
};

beforeAll(async () => {
  mosquitto = await startMosquitto();
  const publisher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
  for (const org of ORGS) for (const m of demoDirectory(org)) await publishMessage(publisher, m);
  await publisher.endAsync();
  const user = async (username: string, fields: Omit<User, 'username' | 'name' | 'passwordHash'>) => ({
    username,
    name: username,
    ...fields,
    passwordHash: await hashPassword(`${username}-password`, CHEAP),
  });
  users = [
    await user('olle', { role: 'operator', orgs: ['mala'] }),
    await user('per', { role: 'staff', orgs: ['mala'], ext: OWN }),
    // the same number in the other municipality: another person
    await user('sara', { role: 'staff', orgs: ['sorsele'], ext: OWN }),
    await user('maja', { role: 'manager', orgs: ['mala'], ext: OTHER, departments: ['kontaktcenter'] }),
    await user('vera', { role: 'viewer', orgs: '*' }),
    await user('ivar', { role: 'it', orgs: '*', ext: OWN }),
  ];
  board = await startBoard({
    brokerUrl: mosquitto.url,
    port: 0,
    orgs: ORGS,
    auth: createAuth({ users }),
    notify: NOTIFY,
  });
  await vi.waitFor(() => expect(board.model.row('sorsele', EXTS[3] ?? '')).toBeDefined(), { timeout: 5000 });
  for (const u of users)
    logins.set(u.username, await passwordLogin(board.url, u.username, `${u.username}-password`));
});

afterAll(async () => {
  await board?.close();
  await mosquitto?.dispose();
});

describe('staff act on their own extension only', () => {
  it('lets staff refer their own phone, as their own desk, and the board shows it', async () => {
    const res = await as('per').post(`/api/presence/mala/${OWN}`, { reason: 'lunch' });
    expect(res.status).toBe(200);
    const { presence } = (await res.json()) as { presence: { by: unknown; reason: string } };
    expect(presence.by).toEqual({ kind: 'desk', id: 'web:per' });
    await vi.waitFor(() => expect(board.model.row('mala', OWN)?.reason).toBe('lunch'));
    // the same number in the other municipality is untouched
    expect(board.model.row('sorsele', OWN)?.status).not.toBe('away');
    const open = await as('per').post(`/api/presence/mala/${OWN}`, { open: true });
    expect(open.status).toBe(200);
    await vi.waitFor(() => expect(board.model.row('mala', OWN)?.status).toBe('available'));
  });

  it("a change by hand from the web wins over the calendar's", async () => {
    const current = board.model.currentPresence('mala', OWN);
    if (!current) throw new Error('no presence');
    const calendar = {
      ...current,
      status: 'away' as const,
      reason: 'meeting',
      by: { kind: 'calendar' as const, id: 'cal' },
    };
    const res = await as('per').post(`/api/presence/mala/${OWN}`, { reason: 'out', until: '23:59' });
    const { presence } = (await res.json()) as { presence: typeof current };
    // the calendar's change at the same step loses the tie (presence-order.ts: desk above calendar)
    expect(supersedes(presence, { ...calendar, seq: presence.seq })).toBe(true);
    await as('per').post(`/api/presence/mala/${OWN}`, { open: true });
  });

  it('refuses staff everything else: others, another org, taking messages, the audit trail', async () => {
    const per = as('per');
    expect((await per.post(`/api/presence/mala/${OTHER}`, { reason: 'lunch' })).status).toBe(403);
    expect((await per.post(`/api/presence/sorsele/${OWN}`, { reason: 'lunch' })).status).toBe(403);
    expect((await per.post(`/api/messages/mala/${OWN}`, { from: 'x', text: 'y' })).status).toBe(403);
    expect((await per.get(`/api/audit/mala/${OWN}`)).status).toBe(403);
    expect(board.model.row('mala', OTHER)?.status).not.toBe('away');
  });

  it("lets the recipient mark their own message handled, and nobody else's", async () => {
    const taken = await as('olle').post(`/api/messages/mala/${OWN}`, { from: 'Eva', text: 'Ring tillbaka' });
    expect(taken.status).toBe(201);
    const { message } = (await taken.json()) as { message: { id: string } };
    // same number, other municipality; a manager of the same org; a viewer: all refused
    for (const who of ['sara', 'maja', 'vera'])
      expect((await as(who).post(`/api/messages/mala/${OWN}/${message.id}/handled`, {})).status).toBe(403);
    expect((await as('per').post(`/api/messages/mala/${OWN}/${message.id}/handled`, {})).status).toBe(200);
    await vi.waitFor(() => expect(board.model.row('mala', OWN)?.phoneMessages ?? []).toHaveLength(0));
  });

  it("signs the push opt-in's token for the person's own extension only, and lets the page reach the notifier", async () => {
    for (const [who, org] of [
      ['per', 'mala'],
      ['sara', 'sorsele'],
    ] as const) {
      const res = await as(who).get('/api/me/push');
      expect(res.status).toBe(200);
      const { url, t } = (await res.json()) as { url: string; t: string };
      expect(url).toBe(NOTIFY.url);
      const verified = verifyLink(NOTIFY.linkSecret, t, Date.now());
      if (!verified.ok) throw new Error(`token ${verified.why}`);
      expect(verified.claim).toMatchObject({ do: 'push', org, ext: OWN, id: 'subscribe' });
      // used at once by the page: minutes, not the e-mail links' days
      expect(verified.claim.exp - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    }
    for (const who of ['olle', 'vera', 'ivar']) expect((await as(who).get('/api/me/push')).status).toBe(403);
    // the page and its service worker may connect to the notifier's origin, and only there besides the board
    const page = await as('per').get('/staff/');
    expect(page.headers.get('content-security-policy')).toContain(
      "connect-src 'self' https://hanvisa.mala.se;",
    );
  });

  it('shows the staff page and /api/me to staff and managers only, each their own', async () => {
    const mine = await as('per').get('/api/me');
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ org: 'mala', ext: OWN });
    expect(await (await as('sara').get('/api/me')).json()).toMatchObject({ org: 'sorsele', ext: OWN });
    expect(await (await as('maja').get('/api/me')).json()).toMatchObject({ org: 'mala', ext: OTHER });
    for (const who of ['olle', 'vera', 'ivar']) {
      expect((await as(who).get('/api/me')).status).toBe(403);
      expect((await as(who).get('/staff/')).status).toBe(403);
    }
    expect((await as('per').get('/staff/')).status).toBe(200);
    // its files hold no one's data: the login page's visitor may fetch them
    expect((await fetch(new URL('/staff/manifest.webmanifest', board.url))).status).toBe(200);
    expect((await fetch(new URL('/api/me', board.url))).status).toBe(401);
  });

  it("gives a manager their own departments only, and their target; nobody else the manager's view", async () => {
    const view = (await (await as('maja').get('/api/manager')).json()) as {
      departments: { id: string; today: unknown; target: unknown }[];
    };
    expect(view.departments.map((d) => d.id)).toEqual(['kontaktcenter']);
    expect(view.departments[0]?.today).toBeNull(); // this board keeps no statistics
    const set = await as('maja').post('/api/manager/service-level/kontaktcenter', {
      answeredWithinPercent: 80,
    });
    expect(set.status).toBe(200);
    const after = (await (await as('maja').get('/api/manager')).json()) as typeof view;
    expect(after.departments[0]?.target).toMatchObject({ answeredWithinPercent: 80, setBy: 'maja' });
    expect(
      (await as('maja').post('/api/manager/service-level/socialtjanst', { answeredWithinPercent: 80 }))
        .status,
    ).toBe(403);
    expect(
      (await as('maja').post('/api/manager/service-level/kontaktcenter', { answeredWithinPercent: 0 }))
        .status,
    ).toBe(400);
    for (const who of ['per', 'olle', 'vera', 'ivar']) {
      expect((await as(who).get('/api/manager')).status).toBe(403);
      expect(
        (await as(who).post('/api/manager/service-level/kontaktcenter', { answeredWithinPercent: 50 }))
          .status,
      ).toBe(403);
    }
  });

  it('lets nobody but an operator of the org set anyone else’s referral (users × targets × orgs)', async () => {
    const mayAct = (u: User, org: string, ext: string) =>
      u.role === 'operator'
        ? u.orgs === '*' || u.orgs.includes(org)
        : (u.role === 'staff' || u.role === 'manager') &&
          u.orgs !== '*' &&
          u.orgs[0] === org &&
          u.ext === ext;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...users),
        fc.constantFrom(...ORGS),
        fc.constantFrom(...EXTS),
        async (u, org, ext) => {
          // `open` changes no one's state for long: every allowed call leaves them available
          const res = await as(u.username).post(`/api/presence/${org}/${ext}`, { open: true });
          expect(res.status).toBe(mayAct(u, org, ext) ? 200 : 403);
        },
      ),
      { numRuns: 60 },
    );
  });
});
