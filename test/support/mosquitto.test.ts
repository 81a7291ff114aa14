import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Mosquitto, startMosquitto } from './mosquitto.js';

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto({ persistence: true });
});
afterAll(async () => broker?.dispose());

it('keeps a retained message across a restart when persistence is on', async () => {
  const pub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  await pub.publishAsync('t/x', 'hello', { retain: true, qos: 1 });
  await pub.endAsync();
  await broker.stop();
  await broker.start();
  const sub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  const got = new Promise<string>((resolve) => sub.on('message', (_t, p) => resolve(p.toString())));
  await sub.subscribeAsync('t/#', { qos: 1 });
  expect(await got).toBe('hello');
  await sub.endAsync();
});
