// The board model fed through a real broker: Mosquitto (what production runs) and the embedded aedes
// (what `npm start` runs). Presences arrive live, a dead desk shows offline via its will, and retained
// state is there on a cold start.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { encode, type Message, type Presence } from '../../protocol/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { publishMessage } from '../../switchboard/publish.js';
import { assign, state } from '../support/device-fixture.js';
import { startMosquitto } from '../support/mosquitto.js';

const ORG = 'testkommun';
const NOW = '2026-11-23T10:00:00.000Z';

function lunch(seq: number): Presence {
  return {
    v: 1,
    status: 'away',
    reason: 'lunch',
    since: NOW,
    until: '2026-11-23T10:45:00.000Z',
    alt: { kind: 'forward', to: '200', name: 'Växeln' },
    seq,
    by: { kind: 'desk', id: 'desk-1' },
    at: NOW,
  };
}

const brokers = [
  {
    name: 'mosquitto',
    start: async () => {
      const m = await startMosquitto();
      return { url: m.url, close: () => m.dispose() };
    },
  },
  {
    name: 'embedded aedes',
    start: async () => {
      const b = await startEmbeddedBroker({ port: 0 });
      return { url: b.url, close: () => b.close() };
    },
  },
];

describe.each(brokers)('board ingest through $name', ({ start }) => {
  let broker: { url: string; close(): Promise<void> };
  const clients: MqttClient[] = [];
  const boards: Board[] = [];

  const client = async (options: mqtt.IClientOptions = {}) => {
    const c = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
    clients.push(c);
    return c;
  };
  const board = async () => {
    const b = await startBoard({ brokerUrl: broker.url, port: 0, orgs: [ORG] });
    boards.push(b);
    await b.session.ready;
    return b;
  };

  beforeAll(async () => {
    broker = await start();
  });
  afterEach(async () => {
    await Promise.all(boards.splice(0).map((b) => b.close()));
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  });
  afterAll(async () => {
    await broker.close();
  });

  it('a published presence reaches the board model', async () => {
    const b = await board();
    const desk = await client();
    await publishMessage(desk, { kind: 'presence', org: ORG, ext: '4711', body: lunch(1) });
    await vi.waitFor(() => expect(b.model.row(ORG, '4711')?.status).toBe('away'));
    expect(b.model.row(ORG, '4711')).toMatchObject({ reason: 'lunch', alt: { kind: 'forward', to: '200' } });
  });

  it('a feature that throws is counted in /api/health; the model and the other features go on', async () => {
    const b = await board();
    // only on this test's message: the broker may hold retained ones from the tests before
    b.session.bus.on('message', ({ message }) => {
      if (message.kind === 'presence' && message.ext === '4713') throw new Error('a broken feature');
    });
    await publishMessage(await client(), { kind: 'presence', org: ORG, ext: '4713', body: lunch(1) });
    await vi.waitFor(() => expect(b.model.row(ORG, '4713')?.status).toBe('away'));
    const health = (await (await fetch(new URL('/api/health', b.url))).json()) as {
      featureFailures: Record<string, number>;
    };
    expect(health.featureFailures).toEqual({ message: 1 });
  });

  it('a desk whose connection dies shows offline via its will', async () => {
    const b = await board();
    const will = encode({
      kind: 'device-state',
      org: ORG,
      deviceId: 'desk-9',
      body: { v: 1, online: false, ext: '4712' },
    });
    await publishMessage(await client(), assign(ORG, 'desk-9', '4712')); // IT's assignment
    const desk = await client({
      will: { topic: will.topic, payload: will.payload, qos: 1, retain: true },
      keepalive: 5,
    });
    await publishMessage(desk, {
      kind: 'device-state',
      org: ORG,
      deviceId: 'desk-9',
      body: { v: 1, online: true, ext: '4712' },
    });
    await vi.waitFor(() => expect(b.model.row(ORG, '4712')?.online).toBe(true), { timeout: 10_000 });
    desk.stream.destroy(); // the network cable pulled: no DISCONNECT, so the broker sends the will
    await vi.waitFor(() => expect(b.model.row(ORG, '4712')?.online).toBe(false), { timeout: 10_000 });
  });

  it('a desk claiming another extension than IT assigned is refused and counted; the claim shows nowhere', async () => {
    const b = await board();
    const it = await client();
    await publishMessage(it, assign(ORG, 'desk-7', '4720'));
    await publishMessage(it, {
      kind: 'directory-person',
      org: ORG,
      ext: '4721',
      body: { v: 1, name: 'Bo', department: 'x' },
    });
    const desk = await client();
    await publishMessage(desk, state(ORG, 'desk-7', true, '4721'));
    await vi.waitFor(() => expect(b.model.stats.deviceRefused).toBe(1), { timeout: 10_000 });
    expect(b.model.row(ORG, '4721')?.online).toBeNull();
    expect(b.model.row(ORG, '4720')).toBeUndefined();
    // its honest birth is shown where IT put it
    await publishMessage(desk, state(ORG, 'desk-7', true, '4720'));
    await vi.waitFor(() => expect(b.model.row(ORG, '4720')?.online).toBe(true), { timeout: 10_000 });
    expect(b.model.row(ORG, '4721')?.online).toBeNull();
  });

  it('retained directory and presences are there on a cold start', async () => {
    const admin = await client();
    const messages: Message[] = [
      {
        kind: 'directory-org',
        org: ORG,
        body: {
          v: 1,
          name: 'Testkommun',
          timeZone: 'Europe/Stockholm',
          locale: 'sv',
          workday: { from: '08:00', to: '17:00' },
          onReturn: 'overdue',
          callback: 'next-working-day',
        },
      },
      {
        kind: 'directory-department',
        org: ORG,
        departmentId: 'bygg',
        body: { v: 1, name: 'Bygglov', phoneHours: [], mustAnswer: false },
      },
      {
        kind: 'directory-person',
        org: ORG,
        ext: '4720',
        body: { v: 1, name: 'Karin Lund', department: 'bygg' },
      },
      {
        kind: 'directory-person',
        org: ORG,
        ext: '4721',
        body: { v: 1, name: 'Per Holm', department: 'bygg' },
      },
      { kind: 'presence', org: ORG, ext: '4720', body: lunch(7) },
      // another organisation on the same broker: not ours
      {
        kind: 'directory-person',
        org: 'grannkommun',
        ext: '4720',
        body: { v: 1, name: 'Someone Else', department: 'x' },
      },
    ];
    for (const m of messages) await publishMessage(admin, m);
    const b = await board();
    await vi.waitFor(() => {
      expect(b.model.row(ORG, '4720')).toMatchObject({ name: 'Karin Lund', status: 'away' });
      expect(b.model.row(ORG, '4721')).toMatchObject({ name: 'Per Holm', status: null });
      expect(b.model.orgs.get(ORG)?.name).toBe('Testkommun');
      expect(b.model.departments.size).toBe(1);
    });
    expect(b.model.row('grannkommun', '4720')).toBeUndefined();
    // clean up the retained state for the next test on this broker
    for (const m of messages) await publishMessage(admin, { ...m, body: null } as Message);
  });

  it('a bad payload is counted and changes nothing', async () => {
    const b = await board();
    const desk = await client();
    await publishMessage(desk, { kind: 'presence', org: ORG, ext: '4730', body: lunch(3) });
    await vi.waitFor(() => expect(b.model.row(ORG, '4730')?.status).toBe('away'));
    await desk.publishAsync(`hanvisa/v1/${ORG}/presence/4730`, '{"v":1,"status":"gone"}', { qos: 1 });
    await desk.publishAsync(`hanvisa/v1/${ORG}/presence/4730`, Buffer.from([0xff, 0xfe]), { qos: 1 });
    await vi.waitFor(() => expect(b.rejections.total).toBe(2));
    expect(b.model.row(ORG, '4730')?.status).toBe('away');
    expect(b.rejections.snapshot().byReason).toEqual({ schema: 1, utf8: 1 });
  });
});

describe('board when the broker goes away', () => {
  it('keeps the last known state, says so, and resubscribes when the broker is back', async () => {
    const mosquitto = await startMosquitto();
    const board = await startBoard({ brokerUrl: mosquitto.url, port: 0, orgs: [ORG] });
    const desk = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4, reconnectPeriod: 0 });
    const clients: MqttClient[] = [desk];
    const health = async () =>
      ((await (await fetch(new URL('/api/health', board.url))).json()) as { broker: string }).broker;
    try {
      await board.session.ready;
      await publishMessage(desk, { kind: 'presence', org: ORG, ext: '4740', body: lunch(1) });
      await vi.waitFor(() => expect(board.model.row(ORG, '4740')?.status).toBe('away'));
      const stream = await fetch(new URL('/api/stream', board.url));
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
      };
      await readUntil('"broker":true');
      await desk.endAsync(true);

      await mosquitto.stop();
      await vi.waitFor(async () => expect(await health()).toBe('disconnected'));
      await readUntil('event: status\ndata: {"broker":false}');
      expect(board.model.row(ORG, '4740')?.status).toBe('away');

      await mosquitto.start();
      await vi.waitFor(async () => expect(await health()).toBe('connected'), { timeout: 10_000 });
      await readUntil('event: status\ndata: {"broker":true}');
      const again = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4, reconnectPeriod: 0 });
      clients.push(again);
      await publishMessage(again, {
        kind: 'presence',
        org: ORG,
        ext: '4740',
        body: { ...lunch(2), reason: 'meeting' },
      });
      await vi.waitFor(() => expect(board.model.row(ORG, '4740')?.reason).toBe('meeting'));
      await reader.cancel();
    } finally {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await board.close();
      await mosquitto.dispose();
    }
  });
});
