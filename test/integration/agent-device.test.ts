// IT's side of a desk through Mosquitto: config pushed, validated, acked with its version or refused
// with a reason (the last good one stays, also across a restart); identify, inventory and restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { type AgentConfig, parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import {
  type DeviceCommandResult,
  type DeviceConfig,
  type DeviceConfigAck,
  type Presence,
  topicFor,
} from '../../protocol/index.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORG = 'itkommun';
const DEVICE = 'desk-it';
const t = {
  config: topicFor({ kind: 'device-config', org: ORG, deviceId: DEVICE }),
  ack: topicFor({ kind: 'device-config-ack', org: ORG, deviceId: DEVICE }),
  cmd: topicFor({ kind: 'device-cmd', org: ORG, deviceId: DEVICE }),
  result: topicFor({ kind: 'device-cmd-result', org: ORG, deviceId: DEVICE }),
};

describe('device config and commands', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  let it_: MqttClient;
  const acks: DeviceConfigAck[] = [];
  const results: DeviceCommandResult[] = [];
  let cfg: AgentConfig;
  const agents: Agent[] = [];

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-device-'));
    cfg = parseConfig({
      org: ORG,
      ext: '500',
      deviceId: DEVICE,
      broker: { url: mosquitto.url },
      journalPath: join(dir, 'journal.json'),
    });
    it_ = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    it_.on('message', (topic, payload) => {
      const body = JSON.parse(payload.toString());
      if (topic === t.ack) acks.push(body);
      if (topic === t.result) results.push(body);
    });
    await it_.subscribeAsync([t.ack, t.result], { qos: 1 });
  });
  afterEach(async () => {
    // one agent per device id at a time: two would take each other's session over and over
    for (const a of agents.splice(0)) await a.stop();
  });
  afterAll(async () => {
    await it_.endAsync();
    await mosquitto.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function start() {
    const panel = new VirtualPanel({ hardwareId: 'virt-it-1' });
    const agent = await startAgent(cfg, { panel, settleMs: 100 });
    agents.push(agent);
    await vi.waitFor(() => expect(agent.synced).toBe(true), { timeout: 5000 });
    return { agent, panel };
  }
  const push = (body: unknown) => it_.publishAsync(t.config, JSON.stringify(body), { qos: 1, retain: true });
  const config = (
    version: number,
    keys: DeviceConfig['layout']['keys'],
    extra: Partial<DeviceConfig> = {},
  ) => ({
    v: 1,
    version,
    ext: '500',
    layout: { keys, leds: DEFAULT_LAYOUT.leds },
    queues: ['main'],
    ...extra,
  });

  it('applies a good config and acks its version; refuses a bad one and keeps the last good', async () => {
    const { agent, panel } = await start();
    await push(config(1, [{ key: 1, action: { type: 'reason', reason: 'meeting' } }]));
    await vi.waitFor(() => expect(acks.at(-1)).toMatchObject({ version: 1, ok: true }), { timeout: 5000 });
    expect(agent.configVersion).toBe(1);
    panel.tap(1);
    expect(agent.presence?.reason).toBe('meeting');

    await push(config(2, [{ key: 1, action: { type: 'reason', reason: 'golf' } }]));
    await vi.waitFor(() => expect(acks.at(-1)).toMatchObject({ version: 2, ok: false }), { timeout: 5000 });
    expect(acks.at(-1)?.reason).toContain('unknown reason "golf"');
    await push(config(3, [{ key: 40, action: { type: 'open' } }]));
    await vi.waitFor(() => expect(acks.at(-1)?.reason).toContain('key 40 is not on this panel'), {
      timeout: 5000,
    });
    await push({ v: 1, version: 4, ext: 'abc' });
    await vi.waitFor(() => expect(acks.at(-1)).toMatchObject({ version: 4, ok: false }), { timeout: 5000 });
    expect(agent.configVersion).toBe(1);
    expect(agent.rejections.total).toBe(1);
    panel.tap(0);
    panel.tap(1);
    expect(agent.presence?.reason).toBe('meeting');
    await agent.stop();

    // The last good config is in the journal: a restart uses it before the broker says anything.
    const again = await start();
    expect(again.agent.configVersion).toBe(1);
  });

  it('identify blinks every LED for the given seconds; inventory and restart answer', async () => {
    const { agent, panel } = await start();
    await it_.publishAsync(t.cmd, JSON.stringify({ v: 1, id: 'c1', cmd: 'identify', seconds: 1 }), {
      qos: 1,
    });
    await panel.waitForFrame((f) => f.length > 0 && f.every((l) => l.pattern === 'fast'));
    await vi.waitFor(() => expect(results.at(-1)).toMatchObject({ id: 'c1', ok: true }), { timeout: 5000 });
    await panel.waitForFrame((f) => f.some((l) => l.pattern !== 'fast'));

    await it_.publishAsync(t.cmd, JSON.stringify({ v: 1, id: 'c2', cmd: 'inventory' }), { qos: 1 });
    await vi.waitFor(() => expect(results.at(-1)?.id).toBe('c2'), { timeout: 5000 });
    expect(JSON.parse(results.at(-1)?.detail ?? '{}')).toMatchObject({
      panel: { hardwareId: 'virt-it-1' },
      configVersion: agent.configVersion,
    });
    await it_.publishAsync(t.cmd, JSON.stringify({ v: 1, id: 'c3', cmd: 'restart' }), { qos: 1 });
    await vi.waitFor(() => expect(results.at(-1)).toMatchObject({ id: 'c3', ok: false }), { timeout: 5000 });
  });

  it("a new extension: the desk takes that person's presence from the broker", async () => {
    const { agent, panel } = await start();
    const sick: Presence = {
      v: 1,
      status: 'away',
      reason: 'sick',
      since: '2026-11-23T07:00:00.000Z',
      until: null,
      alt: null,
      seq: 7,
      by: { kind: 'operator', id: 'op-1' },
      at: '2026-11-23T07:00:00.000Z',
    };
    await it_.publishAsync(topicFor({ kind: 'presence', org: ORG, ext: '501' }), JSON.stringify(sick), {
      qos: 1,
      retain: true,
    });
    await push(config(10, DEFAULT_LAYOUT.keys, { ext: '501' }));
    await vi.waitFor(() => expect(acks.at(-1)).toMatchObject({ version: 10, ok: true }), { timeout: 5000 });
    await vi.waitFor(() => expect(agent.presence).toEqual(sick), { timeout: 5000 });
    await panel.waitForFrame((f) => f[4]?.pattern === 'on');
    await agent.stop();
    // The journal remembers the reassignment and that person's state, whatever the file says.
    const again = await start();
    expect(again.agent.configVersion).toBe(10);
    expect(again.agent.presence).toEqual(sick);
  });
});
