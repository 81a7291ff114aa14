// The desk agent against real brokers, Mosquitto and the product's embedded aedes broker: key presses
// out, queue and voicemail in, the will, adopting a newer presence, bad payloads. Faults and restarts:
// agent-link-faults.test.ts.
import mqtt from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DeviceState, type Presence, topicFor } from '../../protocol/index.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import {
  DEVICE,
  deskAgentHarness,
  EXT,
  LUNCH,
  MEETING,
  MESSAGE_LED,
  ORG,
  presenceTopic,
  publishRaw,
  QUEUE_LED,
  retained,
  SICK,
  stateTopic,
} from '../support/desk-agent-harness.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const { config, agentOn, observe, onCleanup } = deskAgentHarness();
const now = () => new Date().toISOString();

describe.each(['mosquitto', 'aedes'] as const)('desk agent through %s', (kind) => {
  let url: string;
  let broker: Mosquitto | EmbeddedBroker;
  beforeAll(async () => {
    broker = kind === 'mosquitto' ? await startMosquitto() : await startEmbeddedBroker({ port: 0 });
    url = broker.url;
  });
  afterAll(async () => {
    await ('dispose' in broker ? broker.dispose() : broker.close());
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
    // A second client with the agent's id takes over the session: the broker closes the old connection
    // without a DISCONNECT, which sends the will.
    const thief = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `hanvisa-${ORG}-${DEVICE}` });
    onCleanup(() => thief.endAsync(true));
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
      topicFor({ kind: 'mwi-message', org: ORG, ext: EXT, messageId: 'm1' }),
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
