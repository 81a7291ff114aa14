// Two boards side by side behind one address (issue 12): real Mosquitto, two board services with the
// same users and session secret, each its own store, a round-robin proxy in front, a real desk agent.
// Board A is `hanvisa board` as shipped in a process of its own, board B runs in the test (its model is
// asserted). One login; operators take many messages for one person concurrently through both boards;
// A is SIGKILLed mid-work; the same cookie and CSRF token go on working on the survivor. Every message
// the operators were told was taken is on the survivor, on the broker, in what the desk hears, and lights its lamp.
// A logout holds on both boards and across a restart of the board it was made on (issue 25).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BrokerInputs } from '../../agent/runtime/broker-inputs.js';
import { decode, messagesFilter, topicFor } from '../../protocol/index.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import { createAuth, hashPassword, type User } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { type BoardProcess, startBoardProcess } from '../support/board-process.js';
import { buildProduct } from '../support/build-product.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';
import { retainedAs, retainedMessages } from '../support/retained.js';
import { type RoundRobinProxy, startRoundRobinProxy } from '../support/round-robin-proxy.js';

const ORG = 'demo';
const EXT = '2101';
const MESSAGE_LED = 9;
const SECRET = 'two-boards-share-this-secret-of-32+bytes';
const probe = () => `hanvisa/v1/${ORG}/probe-${Math.random().toString(16).slice(2)}`;

let desk: DemoDesk;
/** `hanvisa board` as the unit file runs it: the same users and session secret as the survivor */
let boardArgs: string[];
let a: BoardProcess;
let survivor: Board;
let proxy: RoundRobinProxy;

beforeAll(async () => {
  const [started] = await Promise.all([startDemoDesk(ORG, EXT), buildProduct()]);
  desk = started;
  const users: User[] = [
    {
      username: 'olle',
      name: 'Olle',
      role: 'operator',
      orgs: '*',
      passwordHash: await hashPassword('olle-password', { N: 1024, r: 8, p: 1 }),
    },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'two-boards-'));
  const usersFile = join(dir, 'users.json');
  const secretFile = join(dir, 'session.secret');
  writeFileSync(usersFile, JSON.stringify(users));
  writeFileSync(secretFile, `${SECRET}\n`);
  boardArgs = [
    ...['--broker', desk.mosquitto.url, '--org', ORG, '--users', usersFile],
    ...['--session-secret-file', secretFile, '--writes', join(dir, 'a.json')],
    ...['--host', '127.0.0.1', '--port', '0'],
  ];
  [a, survivor] = await Promise.all([
    startBoardProcess(boardArgs),
    startBoard({
      brokerUrl: desk.mosquitto.url,
      port: 0,
      orgs: [ORG],
      auth: createAuth({ users, sessions: { secret: SECRET } }),
      storeFile: join(dir, 'b.json'),
    }),
  ]);
  await vi.waitFor(() => expect(survivor.model.row(ORG, EXT)?.status).toBe('available'), { timeout: 10_000 });
  await vi.waitFor(async () => expect((await fetch(new URL('/healthz', a.url))).status).toBe(200), {
    timeout: 10_000,
  });
  proxy = await startRoundRobinProxy([a.url, survivor.url]);
}, 30_000);

afterAll(async () => {
  await proxy?.close();
  await a?.kill();
  await survivor?.close();
  await desk?.stop();
});

/** What a desk on EXT hears: its subscription, through the agent's own BrokerInputs. */
async function deskHears(): Promise<{ ids: () => string[]; close: () => Promise<void> }> {
  const heard = new BrokerInputs(undefined);
  const settings = { version: 0, ext: EXT, layout: DEFAULT_LAYOUT, queues: [] };
  const client = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
  client.on('message', (topic, payload) => {
    const decoded = decode(topic, payload);
    if (decoded.ok && decoded.message.kind === 'mwi-message') heard.take(decoded.message, settings);
  });
  await client.subscribeAsync(messagesFilter(ORG, EXT), { qos: 1 });
  return {
    ids: () => (heard.mwi?.messages ?? []).map((m) => m.id).sort(),
    close: () => client.endAsync(true),
  };
}

describe('two boards behind one proxy', () => {
  it('both convert an old single mwi/{ext} value into one topic per message, and clear it', async () => {
    const ext = '2102';
    const old = (id: string, minute: number) => ({
      id,
      at: `2026-11-23T09:${String(minute).padStart(2, '0')}:00.000Z`,
      from: 'Karin',
      text: `old ${id}`,
      callbackBy: null,
    });
    const legacy = { v: 1 as const, messages: [old('old-1', 1), old('old-2', 2)] };
    const publisher = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
    await publishMessage(publisher, { kind: 'mwi', org: ORG, ext, body: legacy });
    await publisher.endAsync();
    await vi.waitFor(async () => {
      expect(await retainedMessages(desk.mosquitto.url, { org: ORG, ext })).toEqual(legacy.messages);
      expect(
        await retainedAs(desk.mosquitto.url, {}, [topicFor({ kind: 'mwi', org: ORG, ext })], probe()),
      ).toEqual(new Map());
    });
    expect(survivor.model.row(ORG, ext)?.phoneMessages).toEqual(legacy.messages);
  });

  it('loses no message taken concurrently on both, and a login survives the board it was made on', async () => {
    const hears = await deskHears();
    const login = await fetch(new URL('/login', proxy.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'olle', password: 'olle-password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const token = ((await login.json()) as { csrfToken: string }).csrfToken;
    const take = (text: string) =>
      fetch(new URL(`/api/messages/${ORG}/${EXT}`, proxy.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': token },
        body: JSON.stringify({ from: 'Karin', text }),
      });
    const taken: string[] = [];
    const outcomes: number[] = [];
    const batch = async (from: number, n: number) => {
      const answers = await Promise.all(Array.from({ length: n }, (_, i) => take(`message ${from + i}`)));
      for (const res of answers) {
        outcomes.push(res.status);
        if (res.status === 201) taken.push(((await res.json()) as { message: { id: string } }).message.id);
      }
    };

    // interleaved on both boards: round-robin sends every other request to each
    for (let round = 0; round < 4; round++) await batch(round * 10, 10);
    expect(taken).toHaveLength(40);
    expect(proxy.served.every((n) => n >= 20)).toBe(true);

    // board A is killed while a batch is on its way: a message either was taken (201) or was not (5xx)
    await Promise.all([batch(40, 10), a.kill()]);
    for (let round = 5; round < 8; round++) await batch(round * 10, 10);
    expect(outcomes.filter((s) => s !== 201 && s < 500)).toEqual([]);
    expect(taken.length).toBeGreaterThanOrEqual(70);

    const all = [...taken].sort();
    await vi.waitFor(
      () =>
        expect(
          survivor.model
            .row(ORG, EXT)
            ?.phoneMessages?.map((m) => m.id)
            .sort(),
        ).toEqual(all),
      {
        timeout: 10_000,
      },
    );
    expect(
      (await retainedMessages(desk.mosquitto.url, { org: ORG, ext: EXT })).map((m) => m.id).sort(),
    ).toEqual(all);
    await vi.waitFor(() => expect(hears.ids()).toEqual(all));
    await desk.panel.waitForFrame((f) => f[MESSAGE_LED]?.pattern === 'on');

    // the same cookie and token: handled on the survivor, gone everywhere
    const [first = ''] = all;
    const handled = await fetch(new URL(`/api/messages/${ORG}/${EXT}/${first}/handled`, proxy.url), {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': token },
    });
    expect(handled.status).toBe(200);
    await vi.waitFor(() => expect(hears.ids()).toEqual(all.slice(1)));
    expect(survivor.model.row(ORG, EXT)?.phoneMessages).toHaveLength(all.length - 1);
    await hears.close();
  }, 60_000);

  it('refuses a copy of a logged-out cookie on both boards, also after the board it was made on restarts', async () => {
    a = await startBoardProcess(boardArgs);
    const login = await fetch(new URL('/login', a.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'olle', password: 'olle-password' }),
    });
    const copy = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const status = async (board: { url: string }) =>
      (await fetch(new URL('/api/snapshot', board.url), { headers: { cookie: copy } })).status;
    expect([await status(a), await status(survivor)]).toEqual([200, 200]);

    const logout = await fetch(new URL('/logout', a.url), {
      method: 'POST',
      headers: { cookie: copy, 'x-csrf-token': csrfToken },
    });
    expect(logout.status).toBe(204);
    expect(await status(a)).toBe(401);
    // the other board hears it from the broker
    await vi.waitFor(async () => expect(await status(survivor)).toBe(401), { timeout: 10_000 });

    // a rolling restart: the board comes back with the same secret and the logout still holds
    await a.kill();
    a = await startBoardProcess(boardArgs);
    expect(await status(a)).toBe(401);
    expect(await status(survivor)).toBe(401);
    // while a fresh login on the restarted board works on both
    const again = await fetch(new URL('/login', a.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'olle', password: 'olle-password' }),
    });
    const cookie = again.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    for (const board of [a, survivor])
      expect((await fetch(new URL('/api/snapshot', board.url), { headers: { cookie } })).status).toBe(200);
  }, 60_000);
});
