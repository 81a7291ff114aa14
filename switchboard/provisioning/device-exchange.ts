// Provisioning's MQTT I/O: read the organisation's retained device topics, push configs and wait for the
// devices' acks, send a command and wait for its result. Replies are awaited only for a bounded time.
import type { MqttClient } from 'mqtt';
import {
  type DeviceCommand,
  type DeviceCommandResult,
  type DeviceConfigAck,
  type DeviceUpdate,
  decode,
  type Message,
  matchesFilter,
  type RejectionCounter,
  topicFor,
} from '../../protocol/index.js';
import { readRetained, whileConnected } from '../one-shot.js';
import { publishMessage } from '../publish.js';
import { addToFleet, type Fleet } from './fleet.js';

/** The organisation's devices: every retained `device/{id}/...` value (settled as readRetained explains). */
export async function readFleet(
  client: MqttClient,
  org: string,
  settleMs: number,
  rejections: RejectionCounter,
): Promise<Fleet> {
  const fleet: Fleet = new Map();
  await readRetained(client, `hanvisa/v1/${org}/device/#`, settleMs, (topic, payload) => {
    const result = decode(topic, payload);
    if (result.ok) addToFleet(fleet, result.message);
    else rejections.record(result);
  });
  return fleet;
}

/**
 * Subscribes to `filter`, then sends, then hands each decoded reply to `take` until it returns true
 * (all answered) or `timeoutMs` passes. Subscribing first: a fast device must not answer unheard.
 */
async function exchange(
  client: MqttClient,
  filter: string,
  send: () => Promise<void>,
  take: (message: Message) => boolean,
  timeoutMs: number,
  rejections: RejectionCounter,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let listener = (_topic: string, _payload: Buffer) => {};
  const answered = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    listener = (topic, payload) => {
      if (!matchesFilter(filter, topic)) return;
      const result = decode(topic, payload);
      if (!result.ok) rejections.record(result);
      else if (take(result.message)) resolve();
    };
  });
  client.on('message', listener);
  try {
    const work = async () => {
      await client.subscribeAsync(filter, { qos: 1 });
      await send();
      await answered;
    };
    await whileConnected(client, work(), 'while waiting for the device');
  } finally {
    clearTimeout(timer);
    client.off('message', listener);
    if (client.connected) await client.unsubscribeAsync(filter);
  }
}

/**
 * Publishes the configs (retained, QoS 1) and returns each device's ack of exactly the version pushed
 * to it; a device without one in `timeoutMs` is missing from the map (offline, or slow).
 */
export async function pushConfigs(
  client: MqttClient,
  org: string,
  configs: Message<'device-config'>[],
  timeoutMs: number,
  rejections: RejectionCounter,
): Promise<Map<string, DeviceConfigAck>> {
  const wanted = new Map(configs.map((m) => [m.deviceId, m.body?.version]));
  const acks = new Map<string, DeviceConfigAck>();
  // One subscription for many devices; for one, only its own ack topic.
  const only = configs.length === 1 ? configs[0] : undefined;
  const filter = only
    ? topicFor({ kind: 'device-config-ack', org, deviceId: only.deviceId })
    : `hanvisa/v1/${org}/device/+/config/ack`;
  await exchange(
    client,
    filter,
    async () => {
      await Promise.all(configs.map((m) => publishMessage(client, m)));
    },
    (m) => {
      // The retained ack of an earlier version arrives first on subscribing: not an answer.
      if (m.kind === 'device-config-ack' && m.body && wanted.get(m.deviceId) === m.body.version)
        acks.set(m.deviceId, m.body);
      return acks.size === wanted.size;
    },
    configs.length ? timeoutMs : 0,
    rejections,
  );
  return acks;
}

/**
 * Sends one command (or an agent update, whose outcome comes the same way) and returns the device's
 * result, or undefined when none came in `timeoutMs`.
 */
export async function runDeviceCommand(
  client: MqttClient,
  org: string,
  deviceId: string,
  cmd: DeviceCommand | DeviceUpdate,
  timeoutMs: number,
  rejections: RejectionCounter,
): Promise<DeviceCommandResult | undefined> {
  let answer: DeviceCommandResult | undefined;
  await exchange(
    client,
    topicFor({ kind: 'device-cmd-result', org, deviceId }),
    () =>
      publishMessage(
        client,
        'cmd' in cmd
          ? { kind: 'device-cmd', org, deviceId, body: cmd }
          : { kind: 'device-update', org, deviceId, body: cmd },
      ),
    (m) => {
      if (m.kind === 'device-cmd-result' && m.body?.id === cmd.id) answer = m.body;
      return answer !== undefined;
    },
    timeoutMs,
    rejections,
  );
  return answer;
}
