// Issue 27's figure: a key-less referral on the staff page → the board and the desk's lamp. A staff
// member's POST /api/presence (what the page sends on one tap), measured to
// - board: the answer, which the board gives once the broker acknowledged the publish and its model
//   applied it (its streams carry it within their 10 ms batch);
// - lamp: the desk agent (in-process, virtual panel) lighting the reason's LED, through Mosquitto;
// beside the bare transport in the same run: one mqtt.js client's retained QoS 1 publish reaching
// another subscriber on the same broker.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuth, hashPassword } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type BoardLogin, passwordLogin } from '../support/board-login.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';
import { percentile, writeBenchResult } from './report.js';

const ORG = 'demo';
const EXT = '2101';
const LUNCH_LED = 1;
const AVAILABLE_LED = 0;
const ROUNDS = 60;

let desk: DemoDesk;
let board: Board;
let per: BoardLogin;

beforeAll(async () => {
  desk = await startDemoDesk(ORG, EXT);
  const users = [
    {
      username: 'per',
      name: 'Per',
      role: 'staff' as const,
      orgs: [ORG],
      ext: EXT,
      passwordHash: await hashPassword('per-password', { N: 1024, r: 8, p: 1 }),
    },
  ];
  board = await startBoard({
    brokerUrl: desk.mosquitto.url,
    port: 0,
    orgs: [ORG],
    auth: createAuth({ users }),
  });
  await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.status).toBe('available'), { timeout: 5000 });
  per = await passwordLogin(board.url, 'per', 'per-password');
});

afterAll(async () => {
  await board?.close();
  await desk?.stop();
});

describe('staff page referral → board and desk lamp', () => {
  it('measures p50/p99 beside the bare transport', async () => {
    const board: number[] = [];
    const lamp: number[] = [];
    const path = `/api/presence/${ORG}/${EXT}`;
    for (let i = 0; i < ROUNDS; i++) {
      const away = i % 2 === 0;
      const lit = desk.panel.waitForFrame((f) =>
        away
          ? f[LUNCH_LED]?.pattern === 'on'
          : f[AVAILABLE_LED]?.pattern === 'on' && f[LUNCH_LED]?.pattern === 'off',
      );
      const start = performance.now();
      const res = await per.post(path, away ? { reason: 'lunch' } : { open: true });
      board.push(performance.now() - start);
      expect(res.status).toBe(200);
      await lit;
      lamp.push(performance.now() - start);
    }
    // the bare transport: a retained QoS 1 publish from one client to another subscriber
    const sender = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
    const receiver = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
    const topic = 'hanvisa/v1/bench/raw';
    await receiver.subscribeAsync(topic, { qos: 1 });
    const raw: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const arrived = new Promise<void>((resolve) => receiver.once('message', () => resolve()));
      const start = performance.now();
      await sender.publishAsync(topic, JSON.stringify({ i }), { qos: 1, retain: true });
      await arrived;
      raw.push(performance.now() - start);
    }
    await sender.publishAsync(topic, '', { qos: 1, retain: true });
    await Promise.all([sender.endAsync(), receiver.endAsync()]);
    const round = (n: number) => Number(n.toFixed(1));
    await writeBenchResult(
      'staff-referral',
      {
        boardMsP50: round(percentile(board, 50)),
        boardMsP99: round(percentile(board, 99)),
        lampMsP50: round(percentile(lamp, 50)),
        lampMsP99: round(percentile(lamp, 99)),
      },
      {
        boardMsP50: round(percentile(raw, 50)),
        boardMsP99: round(percentile(raw, 99)),
        lampMsP50: round(percentile(raw, 50)),
        lampMsP99: round(percentile(raw, 99)),
      },
      { note: 'issue 27: key-less referral on the staff page → desk lamp and board p99 (no number set)' },
    );
  });
});
