// The contract session against a real Mosquitto: typed messages by kind, refusals counted and not
// emitted, the retained state again after the broker restarts, the settle window, publishing only
// while connected, features started before the first message and stopped last first, a bus shared
// with the service's own events; what a broker's ACL silently withholds, logged and counted; and a
// subscription refused for a while asked for again until granted.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../events/bus.js';
import { listening } from '../events/feature.js';
import { createLogger, type Logger } from '../log/logger.js';
import { type Presence, topicFor } from '../protocol/index.js';
import { type Mosquitto, startMosquitto } from '../test/support/mosquitto.js';
import { away } from '../test/support/presence-fixture.js';
import { ContractSession, type LinkStatus, type Received, type SessionEvents } from './contract-session.js';
import { kindFilters } from './filters.js';

const ORG = 'sessiontest';
const log = createLogger('session-test');
const presenceTopic = topicFor({ kind: 'presence', org: ORG, ext: '4711' });
const queueTopic = topicFor({ kind: 'queue', org: ORG, queueId: 'main' });

async function publishRaw(
  url: string,
  topic: string,
  payload: string,
  retain = true,
  login: { username?: string; password?: string } = {},
): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...login });
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

/** A logger that keeps its errors, for asserting what the session said. */
function errorLog(): Logger & { errors: { message: string; fields?: Record<string, unknown> }[] } {
  const errors: { message: string; fields?: Record<string, unknown> }[] = [];
  return {
    debug() {},
    info() {},
    warn() {},
    error: (message, fields) => void errors.push({ message, fields }),
    errors,
  };
}

describe('what the broker withholds (Mosquitto with an ACL, MQTT 3.1.1)', () => {
  let broker: Mosquitto;
  let dir: string;
  const admin = { username: 'admin', password: 'secret-admin' };
  // the service may read presence but not queue, and write only extension 4712's presence
  const service = { username: 'service', password: 'secret-service' };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-session-acl-'));
    await writeFile(
      join(dir, 'acl'),
      [
        'user admin',
        'topic readwrite #',
        'user service',
        `topic read hanvisa/v1/${ORG}/presence/+`,
        `topic write hanvisa/v1/${ORG}/presence/4712`,
        '',
      ].join('\n'),
    );
    broker = await startMosquitto({
      users: { admin: admin.password, service: service.password },
      config: [`acl_file ${join(dir, 'acl')}`],
    });
    await publishRaw(broker.url, presenceTopic, JSON.stringify(away), true, admin);
    await publishRaw(broker.url, queueTopic, '{"v":1,"waiting":0}', true, admin);
  });
  afterAll(async () => {
    await broker?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names a needed kind of which nothing retained arrived by the first settle, with its filter, and counts it', async () => {
    const log = errorLog();
    const filters = kindFilters(['presence', 'queue'], [ORG]);
    const session = new ContractSession({
      url: broker.url,
      clientId: 'session-needs',
      login: service,
      filters,
      log,
      settleMs: 100,
      needs: ['presence', 'queue'],
    });
    let settled = 0;
    await session.start([listening(session.bus, { settled: () => settled++ })]);
    try {
      await vi.waitFor(() => expect(settled).toBe(1), { timeout: 5000 });
      // presence came (the ACL lets it read it); the queue the broker has was withheld
      expect(log.errors).toEqual([
        {
          message: 'nothing retained arrived for a kind this service needs',
          fields: { kind: 'queue', filters: [filters[1]], cause: expect.stringContaining("account's ACL") },
        },
      ]);
      expect(session.withheld()).toEqual({ subscriptions: 0, retained: 1, publishes: 0 });
    } finally {
      await session.close();
    }
  });

  it('refuses to start a session that needs a kind it does not subscribe', async () => {
    const session = new ContractSession({
      url: broker.url,
      clientId: 'x',
      filters: [],
      log,
      needs: ['queue'],
    });
    await expect(session.start([])).rejects.toThrow(/needs queue but subscribes none/);
  });

  it('notices a retained publish the broker acknowledged but dropped: it never comes back', async () => {
    const log = errorLog();
    const session = new ContractSession({
      url: broker.url,
      clientId: 'session-echo',
      login: service,
      filters: kindFilters(['presence'], [ORG]),
      log,
      echoMs: 300,
    });
    await session.start([]);
    try {
      await session.ready;
      const allowed = { ...away, seq: away.seq + 1 };
      // 4712 is the service's to write: it comes back; 4713 is not, and Mosquitto still acknowledges it
      await session.publish({ kind: 'presence', org: ORG, ext: '4712', body: allowed as never });
      await session.publish({ kind: 'presence', org: ORG, ext: '4713', body: allowed as never });
      await vi.waitFor(() => expect(session.withheld().publishes).toBe(1), { timeout: 5000 });
      expect(log.errors).toEqual([
        {
          message: 'the broker took a retained publish but never delivered it back',
          fields: {
            topic: topicFor({ kind: 'presence', org: ORG, ext: '4713' }),
            cause: expect.stringContaining('grant writing it'),
          },
        },
      ]);
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

  it('a stop ends even when the broker never acknowledges a publish (a loaded NATS cluster did not)', async () => {
    // aedes that takes every publish and never answers it: no PUBACK ever comes
    const aedes = await Aedes.createBroker();
    aedes.authorizePublish = () => {};
    let gone = false;
    aedes.on('clientDisconnect', () => {
      gone = true;
    });
    const server = createServer(aedes.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const session = new ContractSession({
      url,
      clientId: 'session-unacknowledged',
      filters: kindFilters(['presence'], [ORG]),
      log,
      settleMs: 50,
    });
    await session.start([]);
    try {
      await session.ready;
      let acknowledged: boolean | undefined;
      void session.send({ kind: 'presence', org: ORG, ext: '4711', body: away as Presence }).then((ok) => {
        acknowledged = ok;
      });
      await session.close();
      expect(gone).toBe(true);
      expect(acknowledged).not.toBe(true);
    } finally {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      server.close();
    }
  }, 15_000);
});
