// One desk agent (virtual panel, default layout) against a real broker, for the agent-link*.test.ts
// files: its config with a fresh journal, an observer of what it publishes, the retained values a new
// subscriber gets, and raw publishes as another client. Call deskAgentHarness() at the top of a test
// file; what a test starts is stopped after it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { type AgentConfig, parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { topicFor } from '../../protocol/index.js';
import { retainedAs } from './retained.js';

export const ORG = 'testkommun';
export const EXT = '4711';
export const DEVICE = 'desk-1';
// keys and LEDs of the default layout (protocol/layouts.ts)
export const OPEN = 0;
export const LUNCH = 1;
export const MEETING = 2;
export const SICK = 4;
export const MESSAGE_LED = 9;
export const QUEUE_LED = 10;
export const LINK_LED = 11;

export const presenceTopic = topicFor({ kind: 'presence', org: ORG, ext: EXT });
export const stateTopic = topicFor({ kind: 'device-state', org: ORG, deviceId: DEVICE });

export interface Observer {
  client: MqttClient;
  /** every message seen, in order */
  seen: { topic: string; body: unknown; retain: boolean; qos: number }[];
  last(topic: string): unknown;
}

/** Publishes as another client, retained by default; '' clears a retained topic. */
export async function publishRaw(
  url: string,
  topic: string,
  payload: string | Buffer,
  retain = true,
): Promise<void> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  await client.publishAsync(topic, payload, { qos: 1, retain });
  await client.endAsync();
}

/** The retained value of a topic (JSON) and its QoS, as a brand-new subscriber gets it. */
export async function retained(
  url: string,
  topic: string,
): Promise<{ body: unknown; qos: number } | undefined> {
  // no "." in the marker: NATS closes the connection of a client that uses one, RabbitMQ splits on it
  const marker = `hanvisa/v1/${ORG}/probe-${Math.random().toString(16).slice(2)}`;
  const kept = (await retainedAs(url, {}, [topic], marker)).get(topic);
  return kept && { body: JSON.parse(kept.payload.toString()), qos: kept.qos };
}

export function deskAgentHarness() {
  let dir: string;
  let journals = 0;
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

  return {
    /** stopped or closed after the test, in reverse order */
    onCleanup: (cleanup: () => Promise<unknown>) => cleanups.push(cleanup),

    /** the desk's config on `url`, with a journal of its own */
    config(url: string, extra: Partial<Record<string, unknown>> = {}): AgentConfig {
      return parseConfig({
        org: ORG,
        ext: EXT,
        deviceId: DEVICE,
        broker: { url, keepaliveSeconds: 2 },
        queues: ['main'],
        journalPath: join(dir, `journal-${journals++}.json`),
        ...extra,
      });
    },

    async agentOn(cfg: AgentConfig): Promise<{ agent: Agent; panel: VirtualPanel }> {
      const panel = new VirtualPanel();
      const agent = await startAgent(cfg, { panel, settleMs: 200 });
      cleanups.push(() => agent.stop());
      return { agent, panel };
    },

    async observe(url: string, filter = `hanvisa/v1/${ORG}/#`): Promise<Observer> {
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
      return { client, seen, last: (topic) => seen.filter((m) => m.topic === topic).at(-1)?.body };
    },
  };
}
