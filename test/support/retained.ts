// What a fresh subscriber gets from the broker's retained store, for tests that check what the broker
// kept (or dropped). Mosquitto sends a subscription's retained messages before anything published after
// its SUBACK, so a marker the user publishes itself (to a topic it may write) ends the set.
import mqtt, { type IClientOptions } from 'mqtt';
import { decode, messagesFilter, type PhoneMessage, type Presence, topicFor } from '../../protocol/index.js';

export interface RetainedMessage {
  payload: Buffer;
  /** as delivered to a QoS 1 subscription: the QoS the value was published with, at most 1 */
  qos: number;
}

/** Every retained message under `filters`, by topic, read by a new connection with `login`. */
export async function retainedAs(
  url: string,
  login: IClientOptions,
  filters: string[],
  marker: string,
): Promise<Map<string, RetainedMessage>> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...login });
  try {
    const seen = new Map<string, RetainedMessage>();
    const done = new Promise<void>((resolve) => {
      client.on('message', (topic, payload, packet) => {
        if (topic === marker) resolve();
        else if (packet.retain) seen.set(topic, { payload, qos: packet.qos });
      });
    });
    // the marker's own subscription after the filters' SUBACK: a broker that streams a subscription's
    // retained set after its SUBACK (aedes) has started on it before the marker is even published
    await client.subscribeAsync(filters, { qos: 1 });
    await client.subscribeAsync(marker, { qos: 1 });
    await client.publishAsync(marker, 'marker', { qos: 1 });
    await done;
    return seen;
  } finally {
    await client.endAsync(true);
  }
}

/** The broker's retained presence of one extension (undefined: none, or not a valid presence). */
export async function retainedPresence(
  url: string,
  ref: { org: string; ext: string },
  login: IClientOptions = {},
  marker = `hanvisa/v1/${ref.org}/probe-${Math.random().toString(16).slice(2)}`,
): Promise<Presence | undefined> {
  const topic = topicFor({ kind: 'presence', ...ref });
  const payload = (await retainedAs(url, login, [topic], marker)).get(topic)?.payload;
  if (!payload) return undefined;
  const result = decode(topic, payload);
  return result.ok && result.message.kind === 'presence' ? (result.message.body ?? undefined) : undefined;
}

/** The broker's retained phone messages of one extension (mwi/{ext}/msg/+), oldest first. */
export async function retainedMessages(
  url: string,
  ref: { org: string; ext: string },
  login: IClientOptions = {},
  marker = `hanvisa/v1/${ref.org}/probe-${Math.random().toString(16).slice(2)}`,
): Promise<PhoneMessage[]> {
  const messages: PhoneMessage[] = [];
  for (const [topic, { payload }] of await retainedAs(
    url,
    login,
    [messagesFilter(ref.org, ref.ext)],
    marker,
  )) {
    const result = decode(topic, payload);
    if (result.ok && result.message.kind === 'mwi-message' && result.message.body)
      messages.push(result.message.body.message);
  }
  return messages.sort((a, b) => a.at.localeCompare(b.at));
}
