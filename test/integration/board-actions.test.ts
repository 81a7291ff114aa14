// The board with access control and operators' writes, end to end over real parts: Mosquitto, the
// board service with a users list, a running desk agent on a virtual panel, fetch as the browser.
// Viewers get reduced rows (snapshot and stream); an operator sets a referral on someone's behalf,
// which the desk adopts; a phone message lights the desk's message lamp and its "handled" key clears it.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Mwi, type Presence, topicFor } from '../../protocol/index.js';
import { type Auth, createAuth, hashPassword, type User } from '../../switchboard/auth/index.js';
import type { Row } from '../../switchboard/board/row.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { unpackRows, type WireSnapshot } from '../../switchboard/board/wire.js';
import { publishMessage } from '../../switchboard/publish.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';
import { type SseReader, sseReader } from '../support/sse.js';

const ORG = 'demo';
const EXT = '2101';
const SICK_LED = 4; // DEFAULT_LAYOUT: key/LED 1-8 are lunch, meeting, out, sick, ...
const MESSAGE_LED = 9;
const HANDLED_KEY = 11;
const CHEAP = { N: 1024, r: 8, p: 1 };
const IDLE_MS = 60 * 60 * 1000;

let desk: DemoDesk;
let observer: MqttClient;
let board: Board;
let auth: Auth;
const clock = { offset: 0 };
const retained = new Map<string, unknown>();

beforeAll(async () => {
  desk = await startDemoDesk(ORG, EXT);
  observer = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
  observer.on('message', (topic, payload) => {
    retained.set(topic, payload.length ? JSON.parse(payload.toString()) : null);
  });
  await observer.subscribeAsync([`hanvisa/v1/${ORG}/presence/+`, `hanvisa/v1/${ORG}/mwi/+/msg/+`], {
    qos: 1,
  });

  const user = async (username: string, role: User['role'], extra: Partial<User> = {}): Promise<User> => ({
    username,
    name: username.toUpperCase(),
    role,
    orgs: '*',
    passwordHash: await hashPassword(`${username}-password`, CHEAP),
    ...extra,
  });
  auth = createAuth({
    users: [
      await user('olle', 'operator'),
      await user('vera', 'viewer'),
      // staff who are also board users see their own messages
      await user('per', 'viewer', { ext: EXT }),
      await user('malin', 'operator', { orgs: ['mala'] }),
    ],
    clock: () => Date.now() + clock.offset,
    sessions: { idleMs: IDLE_MS },
  });
  board = await startBoard({ brokerUrl: desk.mosquitto.url, port: 0, orgs: [ORG], auth, sessionCheckMs: 50 });
  await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.status).toBe('available'), { timeout: 5000 });
});

afterAll(async () => {
  await board?.close();
  await observer?.endAsync(true);
  await desk?.stop();
});

interface Login {
  cookie: string;
  token: string;
}

async function login(username: string): Promise<Login> {
  const res = await fetch(new URL('/login', board.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-password` }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('hanvisa_session='))
    ?.split(';')[0];
  return { cookie: cookie ?? '', token: ((await res.json()) as { csrfToken: string }).csrfToken };
}

const post = (path: string, who: Login | undefined, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL(path, board.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(who ? { cookie: who.cookie, 'x-csrf-token': who.token } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function snapshotRow(who: Login, ext = EXT): Promise<Partial<Row> | undefined> {
  const res = await fetch(new URL('/api/snapshot', board.url), { headers: { cookie: who.cookie } });
  expect(res.status).toBe(200);
  return unpackRows((await res.json()) as WireSnapshot).find((r) => r.ext === ext);
}

async function stream(who: Login): Promise<SseReader> {
  const res = await fetch(new URL('/api/stream', board.url), { headers: { cookie: who.cookie } });
  expect(res.status).toBe(200);
  const sse = sseReader(res.body as ReadableStream<Uint8Array>);
  await vi.waitFor(() => expect(sse.events[0]?.event).toBe('snapshot'));
  return sse;
}

const rowsIn = (sse: SseReader) =>
  sse.events
    .filter((e) => e.event === 'delta')
    .flatMap((e) => JSON.parse(e.data) as { type: string; row?: Partial<Row> }[])
    .flatMap((d) => (d.row && d.row.ext === EXT ? [d.row] : []));

const presenceTopic = topicFor({ kind: 'presence', org: ORG, ext: EXT });
const messageTopic = (messageId: string) => topicFor({ kind: 'mwi-message', org: ORG, ext: EXT, messageId });

describe('the board with access control', () => {
  it('requires a session for every API route and the page, and CSRF for every write', async () => {
    expect((await fetch(new URL('/api/snapshot', board.url))).status).toBe(401);
    expect((await fetch(new URL('/api/stream', board.url))).status).toBe(401);
    const page = await fetch(board.url, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2F');
    // static files carry no data
    expect((await fetch(new URL('/assets/app.js', board.url))).status).toBe(200);

    const olle = await login('olle');
    const noToken = await post(
      `/api/presence/${ORG}/${EXT}`,
      undefined,
      { reason: 'sick' },
      {
        cookie: olle.cookie,
      },
    );
    expect(noToken.status).toBe(403);
    const forged = await post(
      `/api/presence/${ORG}/${EXT}`,
      olle,
      { reason: 'sick' },
      {
        'sec-fetch-site': 'cross-site',
      },
    );
    expect(forged.status).toBe(403);
    expect(board.model.row(ORG, EXT)?.status).toBe('available');

    const vera = await login('vera');
    const viewerWrite = await post(`/api/presence/${ORG}/${EXT}`, vera, { reason: 'sick' });
    expect(viewerWrite.status).toBe(403);
    expect(await viewerWrite.json()).toEqual({ error: 'the viewer role may not do this', code: 'forbidden' });
    // an operator for another organisation may not act here
    expect((await post(`/api/presence/${ORG}/${EXT}`, await login('malin'), { reason: 'sick' })).status).toBe(
      403,
    );
    // nor see it: orgs limit the snapshot too
    const malin = await login('malin');
    const theirs = (await (
      await fetch(new URL('/api/snapshot', board.url), { headers: { cookie: malin.cookie } })
    ).json()) as {
      rows: unknown[];
      orgs: Record<string, unknown>;
    };
    expect(theirs.rows).toEqual([]);
    expect(theirs.orgs).toEqual({});
  });

  it('refuses bad write bodies with a reason, counted, and changes nothing', async () => {
    const olle = await login('olle');
    const before = (
      (await (
        await fetch(new URL('/api/health', board.url), { headers: { cookie: olle.cookie } })
      ).json()) as {
        httpRejected: number;
      }
    ).httpRejected;
    // the page maps field + code to its own sentence next to the field (docs/board.md)
    const cases: [string, unknown, number, RegExp, string?, string?][] = [
      [
        `/api/presence/${ORG}/${EXT}`,
        { reason: 'napping' },
        400,
        /napping is not in the organisation's catalogue/,
        'reason',
        'unknown',
      ],
      [
        `/api/presence/${ORG}/${EXT}`,
        { reason: 'sick', until: '25:00' },
        400,
        /until: HH:MM/,
        'until',
        'format',
      ],
      [
        `/api/presence/${ORG}/${EXT}`,
        { reason: 'lunch', untilFurtherNotice: true },
        400,
        /lunch needs a return time/,
        'untilFurtherNotice',
        'return-required',
      ],
      [
        `/api/presence/${ORG}/${EXT}`,
        { reason: 'lunch', extra: 1 },
        400,
        /extra/,
        undefined,
        'unknown-field',
      ],
      [`/api/presence/${ORG}/${EXT}`, '{not json', 400, /not JSON/],
      [`/api/presence/${ORG}/9999`, { reason: 'sick' }, 404, /no extension 9999/, 'ext', 'unknown'],
      [`/api/presence/${ORG}/abc`, { reason: 'sick' }, 400, /ext: 1-15 digits/, 'ext', 'invalid'],
      [`/api/messages/${ORG}/${EXT}`, { from: '', text: 'x' }, 400, /from: who called/, 'from', 'required'],
      [`/api/messages/${ORG}/${EXT}`, { from: 'A', text: 'x'.repeat(5000) }, 413, /larger than 4096/],
      [`/api/messages/${ORG}/${EXT}/nope/handled`, {}, 404, /no such message/, 'id', 'unknown'],
    ];
    for (const [path, body, status, reason, field, code] of cases) {
      const res = await post(path, olle, body);
      expect(res.status, path).toBe(status);
      const answer = (await res.json()) as { error: string; field?: string; code?: string };
      expect(answer.error).toMatch(reason);
      expect([answer.field, answer.code], path).toEqual([field, code]);
    }
    const health = (await (
      await fetch(new URL('/api/health', board.url), { headers: { cookie: olle.cookie } })
    ).json()) as {
      httpRejected: number;
      writes: Record<string, number>;
    };
    expect(health.httpRejected - before).toBe(cases.length);
    expect(health.writes).toEqual({ presence: 0, message: 0, handled: 0 });
    expect(board.model.row(ORG, EXT)?.status).toBe('available');
  });

  it('sets a referral on behalf: seq + 1 by the operator on the broker, the desk adopts it, a viewer sees only "away"', async () => {
    const olle = await login('olle');
    const vera = await login('vera');
    const viewerStream = await stream(vera);
    const before = board.model.currentPresence(ORG, EXT) as Presence;

    const res = await post(`/api/presence/${ORG}/${EXT}`, olle, { reason: 'sick', note: 'Ringde 07:40' });
    expect(res.status).toBe(200);
    const { presence } = (await res.json()) as { presence: Presence };
    expect(presence).toMatchObject({
      status: 'away',
      reason: 'sick',
      note: 'Ringde 07:40',
      seq: before.seq + 1,
      by: { kind: 'operator', id: 'olle' },
    });
    // sick: back when the next working day starts, in the organisation's zone (08:00 Stockholm)
    expect(
      new Date(presence.until as string).toLocaleTimeString('sv', { timeZone: 'Europe/Stockholm' }),
    ).toBe('08:00:00');
    await vi.waitFor(() => expect(retained.get(presenceTopic)).toEqual(presence));
    // The desk adopts it (newest seq wins) and lights its sick lamp.
    await desk.panel.waitForFrame((f) => f[SICK_LED]?.pattern === 'on' && f[0]?.pattern === 'off');

    expect(await snapshotRow(olle)).toMatchObject({ reason: 'sick', note: 'Ringde 07:40' });
    const reduced = await snapshotRow(vera);
    expect(reduced).toMatchObject({ status: 'away', reason: 'away' });
    expect(reduced).not.toHaveProperty('note');
    await vi.waitFor(() =>
      expect(rowsIn(viewerStream).at(-1)).toMatchObject({ status: 'away', reason: 'away' }),
    );
    expect(JSON.stringify(rowsIn(viewerStream))).not.toMatch(/sick|Ringde/);
    await viewerStream.cancel();

    // Open again from the board: available, one newer still.
    const open = await post(`/api/presence/${ORG}/${EXT}`, olle, { open: true });
    expect(((await open.json()) as { presence: Presence }).presence).toMatchObject({
      status: 'available',
      seq: presence.seq + 1,
    });
    await desk.panel.waitForFrame((f) => f[0]?.pattern === 'on' && f[SICK_LED]?.pattern === 'off');
  });

  it('takes a message: the desk lamp lights, only operators and the recipient read it; the desk key handles it', async () => {
    const olle = await login('olle');
    const vera = await login('vera');
    const per = await login('per');
    // voicemail from the switchboard side, on its own topic: the board's phone messages never carry it
    const publisher = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
    await publishMessage(publisher, { kind: 'voicemail', org: ORG, ext: EXT, body: { v: 1, count: 2 } });
    await publisher.endAsync();
    await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.voicemail).toBe(2));
    const veraStream = await stream(vera);

    const res = await post(`/api/messages/${ORG}/${EXT}`, olle, {
      from: 'Lena Holm',
      number: '070-123 45 67',
      text: 'Gäller bygglovet på Storgatan',
    });
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as { message: Mwi['messages'][number] };
    expect(message).toMatchObject({ from: 'Lena Holm', takenBy: 'OLLE' });
    expect(message.callbackBy).not.toBeNull();
    await vi.waitFor(() => expect(retained.get(messageTopic(message.id))).toEqual({ v: 1, message }));
    await desk.panel.waitForFrame((f) => f[MESSAGE_LED]?.pattern === 'on');

    expect((await snapshotRow(olle))?.phoneMessages).toEqual([message]);
    expect((await snapshotRow(per))?.phoneMessages).toEqual([message]);
    const viewerRow = await snapshotRow(vera);
    expect(viewerRow).toMatchObject({ messages: 1, voicemail: 2 });
    expect(viewerRow).not.toHaveProperty('phoneMessages');
    await vi.waitFor(() => expect(rowsIn(veraStream).at(-1)).toMatchObject({ messages: 1 }));
    expect(JSON.stringify(veraStream.events)).not.toMatch(/Lena Holm|Storgatan/);
    await veraStream.cancel();

    // The desk's "handled" key: the agent publishes mwi/{ext}/handled, the board drops the message.
    desk.panel.tap(HANDLED_KEY);
    await vi.waitFor(() => expect(retained.get(messageTopic(message.id))).toBeNull());
    await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.messages).toBe(0));
    expect((await snapshotRow(olle))?.phoneMessages).toBeUndefined();

    // The recipient may mark one handled from the board; another viewer may not.
    const second = (await (
      await post(`/api/messages/${ORG}/${EXT}`, olle, { from: 'Mats', text: 'Ring' })
    ).json()) as {
      message: { id: string };
    };
    const path = `/api/messages/${ORG}/${EXT}/${encodeURIComponent(second.message.id)}/handled`;
    expect((await post(path, vera, {})).status).toBe(403);
    expect((await post(path, per, {})).status).toBe(200);
    await vi.waitFor(() => expect(retained.get(messageTopic(second.message.id))).toBeNull());
    expect(board.model.row(ORG, EXT)?.voicemail).toBe(2);
    await desk.panel.waitForFrame((f) => f[MESSAGE_LED]?.pattern === 'on'); // voicemail still waits
  });

  it('closes a stream when its session logs out or expires', async () => {
    const vera = await login('vera');
    const first = await stream(vera);
    const out = await post('/logout', vera, '', { 'content-type': '' });
    expect(out.status).toBe(204);
    await first.ended;
    expect(
      (await fetch(new URL('/api/stream', board.url), { headers: { cookie: vera.cookie } })).status,
    ).toBe(401);

    const again = await login('vera');
    const second = await stream(again);
    clock.offset += IDLE_MS;
    await second.ended;
    clock.offset = 0;
    expect(
      (await fetch(new URL('/api/snapshot', board.url), { headers: { cookie: again.cookie } })).status,
    ).toBe(401);
  });
});
