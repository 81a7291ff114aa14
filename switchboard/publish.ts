// Publishing one contract message from mqtt.js: encode() decides topic, retain and QoS.
import type { MqttClient } from 'mqtt';
import { encode, type Message } from '../protocol/index.js';

export async function publishMessage(client: MqttClient, message: Message): Promise<void> {
  const { topic, payload, retain, qos } = encode(message);
  await client.publishAsync(topic, payload, { qos, retain });
}
