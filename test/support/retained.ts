// What a fresh subscriber gets from the broker's retained store, for tests that check what the broker
// kept (or dropped). Mosquitto sends a subscription's retained messages before anything published after
// its SUBACK, so a marker the user publishes itself (to a topic it may write) ends the set.
import mqtt, { type IClientOptions } from 'mqtt';

/** Every retained message under `filters`, topic → payload, read by a new connection with `login`. */
export async function retainedAs(
  url: string,
  login: IClientOptions,
  filters: string[],
  marker: string,
): Promise<Map<string, Buffer>> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...login });
  try {
    const seen = new Map<string, Buffer>();
    const done = new Promise<void>((resolve) => {
      client.on('message', (topic, payload, packet) => {
        if (topic === marker) resolve();
        else if (packet.retain) seen.set(topic, payload);
      });
    });
    await client.subscribeAsync([...filters, marker], { qos: 1 });
    await client.publishAsync(marker, 'marker', { qos: 1 });
    await done;
    return seen;
  } finally {
    await client.endAsync(true);
  }
}
