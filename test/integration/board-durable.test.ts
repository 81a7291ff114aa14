// The board's own writes survive a broker that lost its store: real Mosquitto without persistence, the
// board with a store file, a real desk agent on a virtual panel. An operator takes a message and sets
// a referral; the broker is killed and started empty; both come back on the broker, the board and the lamp.
// A logout made while the broker is away outlives a restart of the board (issue 25).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { topicFor } from '../../protocol/index.js';
import { createAuth, hashPassword, type User } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';
import { retainedMessages } from '../support/retained.js';

const ORG = 'demo';
const EXT = '2101';
const SICK_LED = 4;
const MESSAGE_LED = 9;

let desk: DemoDesk;
let board: Board;
let users: User[];

beforeAll(async () => {
  desk = await startDemoDesk(ORG, EXT);
  users = [
    {
      username: 'olle',
      name: 'Olle',
      role: 'operator',
      orgs: '*',
      passwordHash: await hashPassword('olle-password', { N: 1024, r: 8, p: 1 }),
    },
  ];
  const auth = createAuth({ users });
  const storeFile = join(mkdtempSync(join(tmpdir(), 'board-durable-')), 'store.json');
  board = await startBoard({ brokerUrl: desk.mosquitto.url, port: 0, orgs: [ORG], auth, storeFile });
  await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.status).toBe('available'), { timeout: 10_000 });
});

afterAll(async () => {
  await board?.close();
  await desk?.stop();
});

/** What a fresh subscriber finds retained on the broker for the topic. */
async function retainedOn(topic: string): Promise<unknown> {
  const client = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
  try {
    const got = new Promise<unknown>((resolve) => {
      client.on('message', (_t, payload) => resolve(JSON.parse(payload.toString())));
    });
    await client.subscribeAsync(topic, { qos: 1 });
    return await got;
  } finally {
    await client.endAsync(true);
  }
}

describe('the board republishes its own writes', () => {
  it('brings back a waiting message and a referral after the broker restarts empty', async () => {
    const res = await fetch(new URL('/login', board.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'olle', password: 'olle-password' }),
    });
    const cookie = res.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const token = ((await res.json()) as { csrfToken: string }).csrfToken;
    const post = (path: string, body: unknown) =>
      fetch(new URL(path, board.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': token },
        body: JSON.stringify(body),
      });
    expect((await post(`/api/messages/${ORG}/${EXT}`, { from: 'Anna', text: 'call back' })).status).toBe(201);
    expect((await post(`/api/presence/${ORG}/${EXT}`, { reason: 'sick' })).status).toBe(200);
    await desk.panel.waitForFrame((f) => f[MESSAGE_LED]?.pattern === 'on' && f[SICK_LED]?.pattern === 'on');

    await desk.mosquitto.kill();
    await desk.mosquitto.start();

    await vi.waitFor(
      async () =>
        expect(
          (await retainedMessages(desk.mosquitto.url, { org: ORG, ext: EXT })).map((m) => m.from),
        ).toEqual(['Anna']),
      { timeout: 20_000 },
    );
    const presence = (await retainedOn(topicFor({ kind: 'presence', org: ORG, ext: EXT }))) as {
      reason: string;
    };
    expect(presence.reason).toBe('sick');
    expect(board.model.row(ORG, EXT)?.phoneMessages?.map((m) => m.from)).toEqual(['Anna']);
    await desk.panel.waitForFrame((f) => f[MESSAGE_LED]?.pattern === 'on' && f[SICK_LED]?.pattern === 'on');
  }, 60_000);

  it('keeps a logout made while the broker is away across a restart of the board, and tells the other board', async () => {
    const secret = 'board-durable-logout-secret-of-32+bytes';
    const dir = mkdtempSync(join(tmpdir(), 'board-logout-'));
    const boards: Board[] = [];
    const start = async (store: string, logoutsWaitMs = 200) => {
      const started = await startBoard({
        brokerUrl: desk.mosquitto.url,
        port: 0,
        orgs: [ORG],
        auth: createAuth({ users, sessions: { secret } }),
        storeFile: join(dir, store),
        logoutsWaitMs,
      });
      boards.push(started);
      return started;
    };
    try {
      const first = await start('a.json');
      const login = await fetch(new URL('/login', first.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'olle', password: 'olle-password' }),
      });
      const copy = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const status = async (b: Board) =>
        (await fetch(new URL('/api/snapshot', b.url), { headers: { cookie: copy } })).status;
      expect(await status(first)).toBe(200);

      await desk.mosquitto.kill();
      const logout = await fetch(new URL('/logout', first.url), {
        method: 'POST',
        headers: { cookie: copy, 'x-csrf-token': csrfToken },
      });
      expect(logout.status).toBe(204);
      await first.close();

      const restarted = await start('a.json'); // the broker still away
      expect(await status(restarted)).toBe(401);
      await desk.mosquitto.start(); // empty: only the board's store has the logout
      await vi.waitFor(() => expect(restarted.auth.sessions.revocationsKnown).toBe(true), {
        timeout: 20_000,
      });
      expect(await status(restarted)).toBe(401);
      const other = await start('b.json', 5000); // listens once it heard them from the broker
      expect(other.auth.sessions.revocationsKnown).toBe(true);
      expect(await status(other)).toBe(401);
    } finally {
      for (const b of boards) await b.close();
    }
  }, 60_000);
});
