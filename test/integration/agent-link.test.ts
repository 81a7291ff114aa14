// The desk agent against real brokers (Mosquitto and an in-test aedes): key presses out, queue/mwi in,
// the will, the link LED, presses while the broker is down, restarts from the journal, bad payloads.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes, type Client } from 'aedes';
import fc from 'fast-check';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { type AgentConfig, parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { type DeviceState, type Presence, topicFor } from '../../protocol/index.js';
import { freePort, type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORG = 'testkommun';
const EXT = '4711';
const DEVICE = 'desk-1';
const LUNCH = 1;
const MEETING = 2;
const SICK = 4;
const OPEN = 0;
const MESSAGE_LED = 9;
const QUEUE_LED = 10;
const LINK_LED = 11;

const presenceTopic = topicFor({ kind: 'presence', org: ORG, ext: EXT });
const stateTopic = topicFor({ kind: 'device-state', org: ORG, deviceId: DEVICE });

let dir: string;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-agent-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let journalCount = 0;
function config(url: string, extra: Partial<Record<string, unknown>> = {}): AgentConfig {
  return parseConfig({
    org: ORG,
    ext: EXT,
    deviceId: DEVICE,
    broker: { url, keepaliveSeconds: 2 },
    queues: ['main'],
    journalPath: join(dir, `journal-${journalCount++}.json`),
    ...extra,
  });
}

async function agentOn(cfg: AgentConfig): Promise<{ agent: Agent; panel: VirtualPanel }> {
  const panel = new VirtualPanel();
  const agent = await startAgent(cfg, { panel, settleMs: 200 });
  cleanups.push(() => agent.stop());
  return { agent, panel };
}

interface Observer {
  client: MqttClient;
  /** every message seen, in order */
  seen: { topic: string; body: unknown; retain: boolean; qos: number }[];
  last(topic: string): unknown;
}

async function observe(url: string, filter = `hanvisa/v1/${ORG}/#`): Promise<Observer> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 100 });
  cleanups.push(() => client.endAsync(true));
  const seen: Observer['seen'] = [];
  client.on('message', (topic, payload, packet) => {
    seen.push({
      topic,
      body: payload.length ? JSON.parse(payload.toString()) : null,
      retain: packet.retain,
      qos: packet.qos,
    });
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return {
    client,
    seen,
    last: (topic) => seen.filter((m) => m.topic === topic).at(-1)?.body,
  };
}

/** The retained value of a topic, as a brand-new subscriber gets it. */
async function retained(url: string, topic: string): Promise<{ body: unknown; qos: number } | undefined> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  try {
    const got = new Promise<{ body: unknown; qos: number }>((resolve) =>
      client.on('message', (_t, payload, packet) => {
        if (packet.retain) resolve({ body: JSON.parse(payload.toString()), qos: packet.qos });
      }),
    );
    await client.subscribeAsync(topic, { qos: 1 });
    // A retained message follows the SUBACK on the same connection; a round trip to ourselves
    // after it proves there was none.
    const probe = `hanvisa/v1/${ORG}/probe-${Math.random()}`;
    const probed = new Promise<undefined>((resolve) =>
      client.on('message', (t) => {
        if (t === probe) resolve(undefined);
      }),
    );
    await client.subscribeAsync(probe, { qos: 1 });
    await client.publishAsync(probe, 'x', { qos: 1 });
    return await Promise.race([got, probed.then(() => undefined)]);
  } finally {
    await client.endAsync(true);
  }
}

async function publishRaw(
  url: string,
  topic: string,
  payload: string | Buffer,
  retain = true,
): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  await client.publishAsync(topic, payload, { qos: 1, retain });
  await client.endAsync();
}

const now = () => new Date().toISOString();

interface TestBroker {
  url: string;
  dropClient(id: string): void;
  close(): Promise<void>;
}

async function startAedes(): Promise<TestBroker> {
  const aedes = await Aedes.createBroker();
  const clients = new Map<string, Client>();
  aedes.on('client', (c) => clients.set(c.id, c));
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    dropClient: (id) => clients.get(id)?.conn.destroy(),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(['mosquitto', 'aedes'] as const)('desk agent through %s', (kind) => {
  let url: string;
  let broker: TestBroker;
  let mosquitto: Mosquitto | undefined;
  beforeAll(async () => {
    if (kind === 'mosquitto') {
      mosquitto = await startMosquitto();
      url = mosquitto.url;
    } else {
      broker = await startAedes();
      url = broker.url;
    }
  });
  afterAll(async () => {
    await mosquitto?.dispose();
    await broker?.close();
  });
  beforeEach(async () => {
    // each test starts from an empty broker (the agents of the last one are stopped by now: they would heal it)
    for (const t of [presenceTopic, stateTopic, topicFor({ kind: 'queue', org: ORG, queueId: 'main' })]) {
      await publishRaw(url, t, '');
    }
  });

  it('a key press reaches a plain subscriber as a retained QoS 1 presence', async () => {
    const { agent, panel } = await agentOn(config(url));
    await vi.waitFor(() => expect(agent.presence?.status).toBe('available'), { timeout: 5000 });
    panel.tap(LUNCH);
    expect(agent.presence?.reason).toBe('lunch');
    await vi.waitFor(() => expect(agent.pending).toBe(false), { timeout: 5000 });
    const got = await retained(url, presenceTopic);
    expect(got?.qos).toBe(1);
    expect((got?.body as Presence | undefined)?.reason).toBe('lunch');
    expect((got?.body as Presence | undefined)?.seq).toBe(agent.presence?.seq);
    const state = await retained(url, stateTopic);
    expect((state?.body as DeviceState | undefined)?.online).toBe(true);
  });

  it('a queue message and a voicemail count reach the LED frame; a cleared count darkens it', async () => {
    const { agent, panel } = await agentOn(config(url));
    await vi.waitFor(() => expect(agent.link).toBe('online'), { timeout: 5000 });
    expect(panel.frame[QUEUE_LED]?.pattern).toBe('off');
    await publishRaw(
      url,
      topicFor({ kind: 'queue', org: ORG, queueId: 'main' }),
      JSON.stringify({ v: 1, waiting: 2, oldestSince: now(), at: now() }),
    );
    const voicemail = topicFor({ kind: 'voicemail', org: ORG, ext: EXT });
    await publishRaw(url, voicemail, JSON.stringify({ v: 1, count: 1 }));
    await panel.waitForFrame((f) => f[QUEUE_LED]?.pattern === 'on' && f[MESSAGE_LED]?.pattern === 'on');
    await publishRaw(url, voicemail, '');
    await panel.waitForFrame((f) => f[MESSAGE_LED]?.pattern === 'off');
  });

  it('a dead connection shows offline via the will', async () => {
    const { agent } = await agentOn(config(url));
    const obs = await observe(url, stateTopic);
    await vi.waitFor(() => expect((obs.last(stateTopic) as DeviceState | undefined)?.online).toBe(true), {
      timeout: 5000,
    });
    expect(agent.link).toBe('online');
    if (kind === 'aedes') {
      broker.dropClient(`hanvisa-${ORG}-${DEVICE}`);
    } else {
      // Mosquitto: a second client with the agent's id takes over the session, and the broker closes
      // the old connection without a DISCONNECT, which sends the will.
      const thief = await mqtt.connectAsync(url, {
        protocolVersion: 4,
        clientId: `hanvisa-${ORG}-${DEVICE}`,
      });
      cleanups.push(() => thief.endAsync(true));
    }
    await vi.waitFor(() => expect((obs.last(stateTopic) as DeviceState).online).toBe(false), {
      timeout: 5000,
    });
  });

  it("adopts an operator's newer presence, and overwrites an older one it did not make", async () => {
    const { agent, panel } = await agentOn(config(url));
    await vi.waitFor(() => expect(agent.presence?.status).toBe('available'), { timeout: 5000 });
    panel.tap(LUNCH);
    await vi.waitFor(() => expect(agent.pending).toBe(false), { timeout: 5000 });
    const lunch = agent.presence as Presence;
    const byOperator: Presence = {
      ...lunch,
      reason: 'sick',
      until: null,
      seq: lunch.seq + 1,
      by: { kind: 'operator', id: 'op-1' },
    };
    await publishRaw(url, presenceTopic, JSON.stringify(byOperator));
    await vi.waitFor(() => expect(agent.presence).toEqual(byOperator), { timeout: 5000 });
    await panel.waitForFrame((f) => f[SICK]?.pattern === 'on' && f[LUNCH]?.pattern === 'off');
    // A stale copy (an old retained message replayed by some client) does not win: the desk heals it.
    await publishRaw(url, presenceTopic, JSON.stringify(lunch));
    await vi.waitFor(async () => expect((await retained(url, presenceTopic))?.body).toEqual(byOperator), {
      timeout: 5000,
    });
    expect(agent.presence).toEqual(byOperator);
  });

  it('a bad payload on every subscribed topic is counted and changes nothing', async () => {
    const { agent, panel } = await agentOn(config(url));
    const obs = await observe(url, topicFor({ kind: 'device-config-ack', org: ORG, deviceId: DEVICE }));
    await vi.waitFor(() => expect(agent.presence?.status).toBe('available'), { timeout: 5000 });
    panel.tap(MEETING);
    await vi.waitFor(() => expect(agent.pending).toBe(false), { timeout: 5000 });
    const before = { presence: agent.presence, frame: agent.frame, rejections: agent.rejections.total };
    const topics = [
      presenceTopic,
      topicFor({ kind: 'mwi', org: ORG, ext: EXT }),
      topicFor({ kind: 'queue', org: ORG, queueId: 'main' }),
      topicFor({ kind: 'directory-org', org: ORG }),
      topicFor({ kind: 'device-config', org: ORG, deviceId: DEVICE }),
      topicFor({ kind: 'device-cmd', org: ORG, deviceId: DEVICE }),
    ];
    for (const t of topics) await publishRaw(url, t, '{"v":1,"nonsense":', false);
    await publishRaw(url, presenceTopic, JSON.stringify({ v: 1, status: 'away', reason: null }), false);
    await vi.waitFor(() => expect(agent.rejections.total).toBe(before.rejections + topics.length + 1), {
      timeout: 5000,
    });
    expect(agent.presence).toBe(before.presence);
    expect(agent.frame).toEqual(before.frame);
    expect(agent.configVersion).toBe(0);
    // IT hears about the refused config too.
    await vi.waitFor(() => expect(obs.seen.at(-1)?.body).toMatchObject({ ok: false, version: 0 }), {
      timeout: 5000,
    });
  });
});

describe('desk agent through Mosquitto: faults and restarts', () => {
  let mosquitto: Mosquitto;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterAll(async () => {
    await mosquitto.dispose();
  });
  beforeEach(async () => {
    await mosquitto.start();
    await publishRaw(mosquitto.url, presenceTopic, '');
  });

  it('presses while the broker is down: the broker ends with the final state, across cycles', async () => {
    const { agent, panel } = await agentOn(config(mosquitto.url));
    await vi.waitFor(() => expect(agent.presence?.status).toBe('available'), { timeout: 5000 });
    // Random presses per cycle (a failure names them); hold = a long press.
    const cycles = fc.sample(
      fc.array(fc.record({ key: fc.integer({ min: 0, max: 10 }), long: fc.boolean() }), {
        minLength: 1,
        maxLength: 8,
      }),
      5,
    );
    for (const presses of cycles) {
      await mosquitto.kill();
      await vi.waitFor(() => expect(agent.link).toBe('offline'), { timeout: 5000 });
      // the first press makes sure something changed while the broker was away
      panel.tap(agent.presence?.status === 'away' ? OPEN : LUNCH);
      for (const { key, long } of presses) {
        if (long) panel.hold(key);
        else panel.tap(key);
      }
      const final = agent.presence;
      expect(agent.pending).toBe(true);
      await mosquitto.start();
      // A broker without persistence comes back empty: the agent heals it with its latest state.
      await vi.waitFor(() => expect(agent.pending).toBe(false), { timeout: 8000 });
      const got = await retained(mosquitto.url, presenceTopic);
      expect(got?.body, JSON.stringify(presses)).toEqual(final);
    }
  });

  it('the link LED says offline within one keep-alive of a silent broker', async () => {
    // A TCP relay we can freeze: the broker stops answering without closing anything, like a cut cable.
    let frozen = false;
    const pairs = new Set<Socket>();
    const relay: Server = createServer((inbound) => {
      const outbound = tcpConnect({ port: mosquitto.port, host: '127.0.0.1' });
      for (const s of [inbound, outbound]) {
        pairs.add(s);
        s.on('error', () => {});
        s.once('close', () => pairs.delete(s));
      }
      inbound.on('data', (d) => !frozen && outbound.write(d));
      outbound.on('data', (d) => !frozen && inbound.write(d));
      inbound.once('close', () => outbound.destroy());
      outbound.once('close', () => inbound.destroy());
    });
    const port = await freePort();
    await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of pairs) s.destroy();
          relay.close(() => resolve());
        }),
    );
    const { agent, panel } = await agentOn(config(`mqtt://127.0.0.1:${port}`));
    await vi.waitFor(() => expect(agent.link).toBe('online'), { timeout: 5000 });
    expect(panel.frame[LINK_LED]?.pattern).toBe('off');
    frozen = true;
    const t0 = Date.now();
    await panel.waitForFrame((f) => f[LINK_LED]?.pattern === 'fast');
    const elapsed = Date.now() - t0;
    // keepaliveSeconds is 2: offline within 2 s (plus scheduling slack on a shared machine).
    expect(elapsed).toBeLessThan(2000 + 250);
    expect(agent.link).toBe('offline');
  });

  it('a restart from the journal never publishes available in between', async () => {
    const cfg = config(mosquitto.url);
    const first = await agentOn(cfg);
    await vi.waitFor(() => expect(first.agent.presence?.status).toBe('available'), { timeout: 5000 });
    first.panel.tap(LUNCH);
    await vi.waitFor(() => expect(first.agent.pending).toBe(false), { timeout: 5000 });
    const lunch = first.agent.presence;
    await first.agent.stop();
    // The broker lost its store too (restart without persistence): only the journal knows.
    await mosquitto.stop();
    await mosquitto.start();
    const obs = await observe(mosquitto.url, presenceTopic);
    const second = await agentOn(cfg);
    expect(second.agent.presence).toEqual(lunch);
    await vi.waitFor(() => expect(obs.seen.length).toBeGreaterThan(0), { timeout: 5000 });
    await vi.waitFor(() => expect(second.agent.pending).toBe(false), { timeout: 5000 });
    expect(obs.seen.map((m) => (m.body as Presence).status)).not.toContain('available');
    expect(obs.last(presenceTopic)).toEqual(lunch);
  });

  it('a corrupt journal publishes nothing until the broker has shown its presence', async () => {
    const cfg = config(mosquitto.url);
    const first = await agentOn(cfg);
    await vi.waitFor(() => expect(first.agent.presence?.status).toBe('available'), { timeout: 5000 });
    first.panel.tap(MEETING);
    await vi.waitFor(() => expect(first.agent.pending).toBe(false), { timeout: 5000 });
    const meeting = first.agent.presence;
    await first.agent.stop();
    await writeFile(cfg.journalPath, '{"v":1,"presence":{"v":1,"sta');
    const obs = await observe(mosquitto.url, presenceTopic);
    await vi.waitFor(() => expect(obs.seen).toHaveLength(1), { timeout: 5000 });
    const second = await agentOn(cfg);
    expect(second.agent.presence).toBeUndefined();
    await vi.waitFor(() => expect(second.agent.presence).toEqual(meeting), { timeout: 5000 });
    expect(obs.seen).toHaveLength(1);
    await second.agent.stop();

    // Broker empty as well: the desk knows nothing and claims nothing.
    await writeFile(cfg.journalPath, 'garbage');
    await publishRaw(mosquitto.url, presenceTopic, '');
    const third = await agentOn(cfg);
    await vi.waitFor(() => expect(third.agent.link).toBe('online'), { timeout: 5000 });
    await vi.waitFor(() => expect(third.agent.synced).toBe(true), { timeout: 5000 });
    expect(third.agent.presence).toBeUndefined();
    expect(obs.seen.map((m) => m.body)).toEqual([meeting, null]); // ours, and the clearing above
    expect(third.panel.frame[OPEN]?.pattern).toBe('off');
  });
});
