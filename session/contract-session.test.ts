// The contract session against a real Mosquitto: typed messages by kind, refusals counted and not
// emitted, the retained state again after the broker restarts, the settle window, publishing only
// while connected, features started before the first message and stopped last first, a bus shared
// with the service's own events; a subscription refused for a while asked for again until granted.
import { type AddressInfo, createServer } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../events/bus.js';
import { listening } from '../events/feature.js';
import { createLogger } from '../log/logger.js';
import { topicFor } from '../protocol/index.js';
import { type Mosquitto, startMosquitto } from '../test/support/mosquitto.js';
import { away } from '../test/support/presence-fixture.js';
import { ContractSession, type LinkStatus, type Received, type SessionEvents } from './contract-session.js';
import { kindFilters } from './filters.js';

const ORG = 'sessiontest';
const log = createLogger('session-test');
const presenceTopic = topicFor({ kind: 'presence', org: ORG, ext: '4711' });
const queueTopic = topicFor({ kind: 'queue', org: ORG, queueId: 'main' });

async function publishRaw(url: string, topic: string, payload: string, retain = true): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  await client.publishAsync(topic, payload, { qos: 1, retain });
  await client.endAsync();
}

describe('contract session through Mosquitto', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ persistence: true });
  });
  afterAll(async () => {
    await broker.dispose();
  });

  it('emits each accepted message under its kind and as `message`; refusals are counted, not emitted', async () => {
    await publishRaw(broker.url, presenceTopic, JSON.stringify(away));
    const session = new ContractSession({
      url: broker.url,
      clientId: 'session-test-1',
      filters: kindFilters(['presence', 'queue'], [ORG]),
      log,
      settleMs: 50,
    });
    const presences: Received<'presence'>[] = [];
    const all: Received[] = [];
    let settled = 0;
    const started: string[] = [];
    await session.start([
      {
        start: () => {
          started.push('first');
          session.bus.on('presence', (r) => {
            // every `message` listener (a board's model) has heard it before a listener of its kind
            expect(all.at(-1)).toBe(r);
            presences.push(r);
          });
          session.bus.on('message', (r) => all.push(r));
          session.bus.on('settled', () => settled++);
        },
        stop: () => {
          started.push('stop first');
        },
      },
      { start: () => void started.push('second'), stop: () => void started.push('stop second') },
    ]);
    try {
      // the retained presence arrived after both features had started
      await vi.waitFor(() => expect(presences).toHaveLength(1), { timeout: 5000 });
      expect(started).toEqual(['first', 'second']);
      expect(presences[0]?.retained).toBe(true);
      expect(presences[0]?.message.body?.reason).toBe(away.reason);
      await vi.waitFor(() => expect(settled).toBe(1), { timeout: 5000 });

      await publishRaw(broker.url, queueTopic, '{"v":1,"waiting":"many"}', false);
      await vi.waitFor(() => expect(session.rejections.total).toBe(1), { timeout: 5000 });
      expect(session.rejections.last?.reason).toBe('schema');
      expect(all.map((r) => r.message.kind)).toEqual(['presence']);

      await session.publish({ kind: 'presence', org: ORG, ext: '4711', body: null });
      await vi.waitFor(() => expect(presences.at(-1)?.message.body).toBeNull(), { timeout: 5000 });
    } finally {
      await session.close();
    }
    expect(started).toEqual(['first', 'second', 'stop second', 'stop first']);
  });

  it('subscribes again on every connect: a restarted broker hands its retained state back', async () => {
    await publishRaw(broker.url, presenceTopic, JSON.stringify(away));
    const session = new ContractSession({
      url: broker.url,
      clientId: 'session-test-2',
      filters: kindFilters(['presence'], [ORG]),
      log,
      backoff: { minMs: 50, maxMs: 200 },
      settleMs: 50,
    });
    let heard = 0;
    let subscribed = 0;
    const statuses: LinkStatus[] = [];
    await session.start([
      {
        start: () => {
          session.bus.on('presence', () => heard++);
          session.bus.on('subscribed', () => subscribed++);
          session.bus.on('status', (s) => statuses.push(s));
        },
        stop: () => {},
      },
    ]);
    try {
      await vi.waitFor(() => expect(heard).toBe(1), { timeout: 5000 });
      await broker.stop();
      await vi.waitFor(() => expect(session.status).toBe('offline'), { timeout: 5000 });
      expect(await session.send({ kind: 'presence', org: ORG, ext: '4711', body: away as never })).toBe(
        false,
      );
      await broker.start();
      await vi.waitFor(() => expect(heard).toBe(2), { timeout: 10_000 });
      expect(subscribed).toBe(2);
      expect(statuses).toEqual(['online', 'offline', 'online']);
    } finally {
      await session.close();
    }
  });

  it("emits on a bus it is given, beside the service's own events, and hands a refusal its bytes", async () => {
    const bus = new EventBus<SessionEvents & { pressed: number }>(log);
    const session = new ContractSession({
      url: broker.url,
      clientId: 'session-test-3',
      filters: kindFilters(['queue'], [ORG]),
      log,
      bus,
    });
    const heard: string[] = [];
    const refused: string[] = [];
    await session.start([
      listening(bus, {
        subscribed: () => heard.push('subscribed'),
        pressed: (key) => heard.push(`pressed ${key}`),
        rejected: ({ topic, payload }) => refused.push(`${topic} ${payload}`),
      }),
    ]);
    try {
      expect(session.bus).toBe(bus);
      await vi.waitFor(() => expect(heard).toEqual(['subscribed']), { timeout: 5000 });
      bus.emit('pressed', 3);
      expect(heard).toEqual(['subscribed', 'pressed 3']);
      const bad = '{"v":1,"waiting":"many"}';
      await publishRaw(broker.url, queueTopic, bad, false);
      await vi.waitFor(() => expect(refused).toEqual([`${queueTopic} ${bad}`]), { timeout: 5000 });
      expect(session.rejections.total).toBe(1);
    } finally {
      await session.close();
    }
  });
});

describe('a subscription the broker refuses for a while', () => {
  it('is asked for again until granted (a NATS cluster refuses while it elects a leader)', async () => {
    // aedes with a hook that refuses the queue filter twice, as a clustered broker can in a node loss
    const aedes = await Aedes.createBroker();
    let refusals = 2;
    aedes.authorizeSubscribe = (_client, sub, done) => {
      if (sub.topic.includes('/queue/') && refusals-- > 0) done(null, null);
      else done(null, sub);
    };
    const server = createServer(aedes.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const session = new ContractSession({
      url,
      clientId: 'session-refused',
      filters: kindFilters(['presence', 'queue'], [ORG]),
      log,
      settleMs: 50,
      backoff: { minMs: 20, maxMs: 40 },
    });
    const queues: Received<'queue'>[] = [];
    await session.start([listening(session.bus, { queue: (r) => queues.push(r) })]);
    try {
      await session.ready;
      await vi.waitFor(() => expect(refusals).toBe(-1), { timeout: 5000 });
      await publishRaw(
        url,
        queueTopic,
        JSON.stringify({ v: 1, waiting: 2, oldestSince: null, at: new Date().toISOString() }),
      );
      await vi.waitFor(() => expect(queues.at(-1)?.message.body?.waiting).toBe(2), { timeout: 5000 });
    } finally {
      await session.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      server.close();
    }
  });
});
