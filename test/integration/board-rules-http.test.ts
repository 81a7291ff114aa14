// Issue 23 at the HTTP and SSE level, the board behind its login on the embedded broker: each number
// reaches only a role it may be given to (Guldborgsund: some direct numbers are public, others for
// partners only; a mobile number by default internal), in the snapshot and in the stream's deltas,
// byte for byte; the referral guard rails refuse a forward to the switchboard's number (Grästorp/
// Essunga) or the own extension, and answer a forward to an away colleague with the warning; and the
// department referral (SAMSA §6) is the operator's only, all of the department, undone by its id.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Message, Person } from '../../protocol/index.js';
import { createAuth } from '../../switchboard/auth/index.js';
import type { Board } from '../../switchboard/board/server.js';
import { startBoard } from '../../switchboard/board/server.js';
import { unpackRows, type WireSnapshot } from '../../switchboard/board/wire.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { publishMessage } from '../../switchboard/publish.js';
import { loggedIn } from '../support/auth-site.js';
import { availableAt, awayAt, boardUsers } from '../support/board-page.js';
import { type SseReader, sseReader } from '../support/sse.js';

const ORG = 'grastorp';
const NOW = Date.now();
const SVEN: Person = {
  v: 1,
  name: 'Sven Andersson',
  department: 'bygg',
  direct: '0514-58011',
  mobile: '070-111 22 33',
  email: 'sven.andersson@grastorp.example',
  mobileExtension: true,
  visibility: { direct: 'partners' },
  keywords: ['Bygglov'],
};

const DIRECTORY: Message[] = [
  {
    kind: 'directory-org',
    org: ORG,
    body: {
      v: 1,
      name: 'Grästorps kommun',
      timeZone: 'Europe/Stockholm',
      locale: 'sv',
      workday: { from: '08:00', to: '17:00' },
      onReturn: 'overdue',
      callback: 'next-working-day',
      switchboard: { numbers: ['0514-580 00', '9'], refuseForward: true },
    },
  },
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'bygg',
    body: { v: 1, name: 'Bygg och miljö', phoneHours: [], mustAnswer: false },
  },
  { kind: 'directory-person', org: ORG, ext: '4711', body: SVEN },
  { kind: 'directory-person', org: ORG, ext: '4712', body: { v: 1, name: 'Anna Berg', department: 'bygg' } },
  { kind: 'presence', org: ORG, ext: '4711', body: availableAt(NOW, 1) },
  {
    kind: 'presence',
    org: ORG,
    ext: '4712',
    body: awayAt(NOW, 1, 'lunch', Math.ceil(NOW / 60_000 + 45) * 60_000),
  },
];

let broker: EmbeddedBroker;
let client: MqttClient;
let board: Board;
type Login = Awaited<ReturnType<typeof loggedIn>>;
let olle: Login;
let vera: Login;

beforeAll(async () => {
  broker = await startEmbeddedBroker({ port: 0 });
  client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
  for (const m of DIRECTORY) await publishMessage(client, m);
  board = await startBoard({
    brokerUrl: broker.url,
    port: 0,
    auth: createAuth({ users: await boardUsers('*') }),
  });
  await board.session.ready;
  await vi.waitFor(() => expect(board.model.row(ORG, '4712')?.status).toBe('away'));
  const site = { origin: new URL(board.url).origin };
  olle = await loggedIn(site, 'olle', 'olle-password');
  vera = await loggedIn(site, 'vera', 'vera-password');
});

afterAll(async () => {
  await client?.endAsync(true);
  await board?.close();
  await broker?.close();
});

const snapshot = async (who: Login) =>
  (await fetch(new URL('/api/snapshot', board.url), { headers: { cookie: who.cookie } })).text();

async function stream(who: Login): Promise<SseReader> {
  const res = await fetch(new URL('/api/stream', board.url), { headers: { cookie: who.cookie } });
  const sse = sseReader(res.body as ReadableStream<Uint8Array>);
  await vi.waitFor(() => expect(sse.events[0]?.event).toBe('snapshot'));
  return sse;
}

const post = (who: Login, path: string, body: unknown) =>
  fetch(new URL(path, board.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.token },
    body: JSON.stringify(body),
  });

describe('numbers on the wire, per role', () => {
  it('sends the operator every number with its rule, a viewer only the public ones', async () => {
    const sven = (text: string) => unpackRows(JSON.parse(text) as WireSnapshot).find((r) => r.ext === '4711');
    expect(sven(await snapshot(olle))).toMatchObject({
      direct: SVEN.direct,
      mobile: SVEN.mobile,
      email: SVEN.email,
      mobileExtension: true,
      visibility: { direct: 'partners' },
      keywords: ['Bygglov'],
    });
    const viewers = await snapshot(vera);
    expect(sven(viewers)).toMatchObject({ email: SVEN.email, mobileExtension: true });
    // not hidden by the page: the bytes never carry them
    expect(viewers).not.toContain('0514-58011');
    expect(viewers).not.toContain('070-111');
  });

  it("keeps a viewer's stream free of them when the directory changes", async () => {
    const [ops, viewers] = [await stream(olle), await stream(vera)];
    try {
      expect(ops.events[0]?.data).toContain('070-111 22 33');
      expect(viewers.events[0]?.data).not.toContain('070-111');
      await publishMessage(client, {
        kind: 'directory-person',
        org: ORG,
        ext: '4711',
        body: { ...SVEN, mobile: '070-999 88 77', direct: '0514-58099' },
      });
      await vi.waitFor(() => expect(ops.events.some((e) => e.data.includes('070-999 88 77'))).toBe(true));
      await vi.waitFor(() => expect(viewers.events.some((e) => e.event === 'delta')).toBe(true));
      const seen = viewers.events.map((e) => e.data).join('\n');
      expect(seen).not.toContain('070-999');
      expect(seen).not.toContain('0514-58099');
    } finally {
      await ops.cancel();
      await viewers.cancel();
    }
  });
});

describe('referral guard rails at the HTTP level', () => {
  it("refuses a forward to the switchboard's number and to the own extension, and changes nothing", async () => {
    const before = board.model.currentPresence(ORG, '4711');
    const toSwitchboard = await post(olle, `/api/presence/${ORG}/4711`, {
      reason: 'meeting',
      alt: { kind: 'forward', to: '051458000' },
    });
    expect(toSwitchboard.status).toBe(409);
    expect(await toSwitchboard.json()).toMatchObject({ field: 'alt', code: 'switchboard' });
    const toSelf = await post(olle, `/api/presence/${ORG}/4711`, {
      reason: 'meeting',
      alt: { kind: 'forward', to: '4711' },
    });
    expect(await toSelf.json()).toMatchObject({ field: 'alt', code: 'own-extension' });
    expect(board.model.currentPresence(ORG, '4711')).toEqual(before);
  });

  it('writes a forward to an away colleague for the operator, with the warning', async () => {
    const res = await post(olle, `/api/presence/${ORG}/4711`, {
      reason: 'meeting',
      alt: { kind: 'forward', to: '4712' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      presence: { alt: { kind: 'forward', to: '4712' } },
      warning: { kind: 'away', reason: 'lunch', overdue: false },
    });
  });
});

describe('department referral at the HTTP level (SAMSA §6)', () => {
  const path = `/api/department/${ORG}/bygg/referral`;

  it("is the operator's: a viewer is refused, an unknown department is not found, nothing changes", async () => {
    const before = board.model.currentPresence(ORG, '4712');
    const viewer = await post(vera, path, { reason: 'meeting' });
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ code: 'forbidden' });
    expect((await post(olle, `/api/department/${ORG}/nope/referral`, { reason: 'meeting' })).status).toBe(
      404,
    );
    expect((await post(olle, path, { reason: 'meeting', extra: 1 })).status).toBe(400);
    expect((await post(olle, `${path}/undo`, { id: 'never-made' })).status).toBe(404);
    expect(board.model.currentPresence(ORG, '4712')).toEqual(before);
  });

  it('refers the department and undoes it by the id it answered with', async () => {
    const before = board.model.currentPresence(ORG, '4712');
    const res = await post(olle, path, {
      reason: 'meeting',
      note: 'Planeringsdag',
      emergency: '070-555 00 00',
    });
    expect(res.status).toBe(200);
    const { id, referred } = (await res.json()) as { id: string; referred: string[] };
    expect(referred.toSorted()).toEqual(['4711', '4712']);
    expect(board.model.currentPresence(ORG, '4712')).toMatchObject({
      reason: 'meeting',
      note: 'Planeringsdag',
    });
    const undone = await post(olle, `${path}/undo`, { id });
    expect(await undone.json()).toEqual({
      restored: expect.arrayContaining(['4711', '4712']),
      changedSince: [],
    });
    expect(board.model.currentPresence(ORG, '4712')).toMatchObject({
      status: before?.status,
      reason: before?.reason,
      until: before?.until,
    });
    // once undone, the id is spent
    expect((await post(olle, `${path}/undo`, { id })).status).toBe(404);
  });
});
