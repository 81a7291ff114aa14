// An operator's write that cannot be published changes nothing, over real parts (Mosquitto, the board,
// a desk agent on a virtual panel): the board shows only what the broker took. And a presence at the
// contract's largest seq blocks no later change (docs/protocol.md, "Ordering of presence").
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_SEQ, type Message, type Presence, topicFor } from '../../protocol/index.js';
import { createAuth, hashPassword } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { loggedIn, type Site } from '../support/auth-site.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';
import { retainedMessages } from '../support/retained.js';

/** The machine is shared and loaded: wait generously for what must happen. */
const eventually = <T>(check: () => T) => vi.waitFor(check, { timeout: 10_000 });

const ORG = 'demo';
const EXT = '2101';
const LUNCH_KEY = 1; // DEFAULT_LAYOUT

let desk: DemoDesk;
let observer: MqttClient;
let board: Board;
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
  const passwordHash = await hashPassword('olle-password', { N: 1024, r: 8, p: 1 });
  board = await startBoard({
    brokerUrl: desk.mosquitto.url,
    port: 0,
    orgs: [ORG],
    publishTimeoutMs: 1000,
    auth: createAuth({
      users: [{ username: 'olle', name: 'Olle', role: 'operator', orgs: '*', passwordHash }],
    }),
  });
  await eventually(() => expect(board.model.row(ORG, EXT)?.status).toBe('available'));
});

afterAll(async () => {
  await board?.close();
  await observer?.endAsync(true);
  await desk?.stop();
});

const olle = () => loggedIn({ origin: new URL(board.url).origin } as Site, 'olle', 'olle-password');

async function post(path: string, body: unknown) {
  const who = await olle();
  return fetch(new URL(path, board.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.token },
    body: JSON.stringify(body),
  });
}

describe("an operator's write that cannot be published", () => {
  it('a 201st open message: 409, the board and the broker unchanged', async () => {
    const message = (i: number): Message => ({
      kind: 'mwi-message',
      org: ORG,
      ext: EXT,
      messageId: `m-${i}`,
      body: {
        v: 1,
        message: { id: `m-${i}`, at: '2026-11-23T09:12:00.000Z', text: 'Ring', callbackBy: null },
      },
    });
    const ids = Array.from({ length: 200 }, (_, i) => i);
    await Promise.all(ids.map((i) => publishMessage(observer, message(i))));
    await eventually(() => expect(board.model.row(ORG, EXT)?.messages).toBe(200));

    const res = await post(`/api/messages/${ORG}/${EXT}`, { from: 'Sven', text: 'y'.repeat(1000) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('full');
    expect(board.model.row(ORG, EXT)?.messages).toBe(200);
    const who = await olle();
    const health = await fetch(new URL('/api/health', board.url), { headers: { cookie: who.cookie } });
    expect(((await health.json()) as { writes: { message: number } }).writes.message).toBe(0);
    expect(await retainedMessages(desk.mosquitto.url, { org: ORG, ext: EXT })).toHaveLength(200);
    await Promise.all(ids.map((i) => publishMessage(observer, { ...message(i), body: null } as Message)));
    await eventually(() => expect(board.model.row(ORG, EXT)?.messages).toBe(0));
  });

  it('a note with a lone surrogate is refused at the door (every reader would drop the presence)', async () => {
    const res = await post(`/api/presence/${ORG}/${EXT}`, { reason: 'lunch', note: 'x\ud800' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/lone UTF-16 surrogate/);
    expect(board.model.row(ORG, EXT)?.status).toBe('available');
  });

  it('at the largest seq an operator still reopens the phone, and the desk changes it again after', async () => {
    const stuck: Presence = {
      ...(board.model.currentPresence(ORG, EXT) as Presence),
      status: 'away',
      reason: 'meeting',
      until: null,
      seq: MAX_SEQ,
      by: { kind: 'calendar', id: 'calendar' },
      at: new Date(Date.now() - 60_000).toISOString(),
    };
    await publishMessage(observer, { kind: 'presence', org: ORG, ext: EXT, body: stuck });
    await eventually(() => expect(board.model.row(ORG, EXT)?.reason).toBe('meeting'));

    const res = await post(`/api/presence/${ORG}/${EXT}`, { open: true });
    expect(res.status).toBe(200);
    const { presence } = (await res.json()) as { presence: Presence };
    expect(presence).toMatchObject({ status: 'available', seq: MAX_SEQ, by: { kind: 'operator' } });
    const topic = topicFor({ kind: 'presence', org: ORG, ext: EXT });
    await eventually(() => expect(retained.get(topic)).toEqual(presence));
    expect(board.model.row(ORG, EXT)?.status).toBe('available');

    // The desk adopted it and builds on it: its lunch is later, so newer at the top seq too.
    await eventually(() => expect(desk.agent.presence).toEqual(presence));
    desk.panel.tap(LUNCH_KEY);
    await eventually(() => expect(board.model.row(ORG, EXT)?.reason).toBe('lunch'));
    expect(retained.get(topic)).toMatchObject({ seq: MAX_SEQ, reason: 'lunch', by: { kind: 'desk' } });
  });

  it('a broker that does not answer: 504 in time, the board unchanged until the broker does take it', async () => {
    const pid = desk.mosquitto.pid() as number;
    const before = board.model.row(ORG, EXT)?.reason;
    const who = await olle(); // logged in before the broker stops answering
    process.kill(pid, 'SIGSTOP'); // the broker hangs: connected, but no PUBACK
    let res: Response;
    try {
      res = await fetch(new URL(`/api/presence/${ORG}/${EXT}`, board.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.token },
        body: JSON.stringify({ reason: 'sick' }),
      });
      expect(board.model.row(ORG, EXT)?.reason).toBe(before);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: string }).error).toMatch(/not acknowledged.*not shown/);
    // mqtt.js had sent it: once the broker takes it, it comes back like anyone's change
    await eventually(() => expect(board.model.row(ORG, EXT)?.reason).toBe('sick'));
  });
});
