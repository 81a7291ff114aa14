// The phone bridge against a real Mosquitto, with a scripted phone system behind the port (the SIP
// and webhook adapters have tests of their own against real peers): authority for queue/voicemail,
// stale (not zero) while the phone system is away, republished after a broker restart, referrals
// handed on once per change, call events once per id, and bad MQTT input counted and ignored.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode, encode, type Message, type Presence, topicFor } from '../../protocol/index.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { publishMessage } from '../../switchboard/publish.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { away } from '../support/presence-fixture.js';
import { scriptedPhone } from '../support/scripted-phone.js';

const ORG = 'guldborgsund';
const T0 = Date.parse('2026-11-23T10:42:00.000Z');

/** The newest message per topic in the org, as a board would keep it. */
async function watch(url: string) {
  const latest = new Map<string, Message>();
  const events: Message[] = [];
  const client = await mqtt.connectAsync(url, { protocolVersion: 4 });
  client.on('message', (topic, payload) => {
    const r = decode(topic, payload);
    if (!r.ok) return;
    if (r.message.kind === 'call-event') events.push(r.message);
    else latest.set(topic, r.message);
  });
  await client.subscribeAsync(`hanvisa/v1/${ORG}/#`, { qos: 1 });
  const body = (ref: Parameters<typeof topicFor>[0]) => latest.get(topicFor(ref))?.body;
  return { client, latest, events, body };
}

describe('phone bridge', () => {
  let mosquitto: Mosquitto;
  let bridge: Bridge | undefined;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterEach(async () => {
    await bridge?.stop();
    bridge = undefined;
    for (const c of clients.splice(0)) await c.endAsync(true);
  });
  afterAll(async () => {
    await mosquitto?.dispose();
  });

  it('publishes queue snapshots with the queue threshold and positions, voicemail and call events once per id', async () => {
    const phone = scriptedPhone();
    const w = await watch(mosquitto.url);
    clients.push(w.client);
    bridge = startBridge({
      brokerUrl: mosquitto.url,
      org: ORG,
      phone,
      alarmSeconds: { default: 30, queues: { borgerservice: 20 } },
      now: () => T0,
    });
    await bridge.ready;
    const l = phone.listener();
    l.link(true);
    const calls = [{ id: 'c1', position: 1, since: new Date(T0 - 5000).toISOString() }];
    l.queue({ queueId: 'borgerservice', waiting: 1, oldestSince: T0 - 5000, calls });
    l.queue({ queueId: 'byg', waiting: 0, oldestSince: null });
    l.voicemail('4711', 2);
    const entered = {
      id: 'ev1',
      queueId: 'borgerservice',
      call: 'c1',
      event: 'entered' as const,
      at: T0,
      position: 1,
    };
    l.call(entered);
    l.call(entered);
    l.call({ ...entered, id: 'ev2', event: 'answered', enteredAt: T0 - 5000, ext: '4711' });
    await vi.waitFor(() => {
      expect(w.body({ kind: 'queue', org: ORG, queueId: 'borgerservice' })).toMatchObject({
        waiting: 1,
        alarmSeconds: 20,
        calls,
      });
      expect(w.body({ kind: 'queue', org: ORG, queueId: 'byg' })).toMatchObject({
        waiting: 0,
        alarmSeconds: 30,
      });
      expect(w.body({ kind: 'voicemail', org: ORG, ext: '4711' })).toEqual({ v: 1, count: 2 });
      expect(w.body({ kind: 'phone-link', org: ORG })).toMatchObject({ up: true, system: 'sip' });
      expect(w.events.map((e) => (e.body as { id: string }).id)).toEqual(['ev1', 'ev2']);
    }, 10_000);
    expect(bridge.stats().duplicates).toBe(1);
  });

  it('marks queue and voicemail stale (not zero) while the phone system is unreachable, fresh again after', async () => {
    const phone = scriptedPhone();
    const w = await watch(mosquitto.url);
    clients.push(w.client);
    let now = T0;
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone, now: () => now });
    await bridge.ready;
    const l = phone.listener();
    l.link(true);
    l.queue({ queueId: 'borgerservice', waiting: 3, oldestSince: T0 - 9000 });
    l.voicemail('4712', 1);
    now = T0 + 60_000;
    l.link(false, 'no answer from sip:pbx');
    await vi.waitFor(() => {
      expect(w.body({ kind: 'phone-link', org: ORG })).toEqual({
        v: 1,
        up: false,
        since: new Date(T0 + 60_000).toISOString(),
        system: 'sip',
        detail: 'no answer from sip:pbx',
      });
      expect(w.body({ kind: 'queue', org: ORG, queueId: 'borgerservice' })).toMatchObject({
        waiting: 3,
        stale: true,
      });
      expect(w.body({ kind: 'voicemail', org: ORG, ext: '4712' })).toEqual({ v: 1, count: 1, stale: true });
    }, 10_000);
    l.link(true);
    l.queue({ queueId: 'borgerservice', waiting: 1, oldestSince: T0 });
    l.voicemail('4712', 0);
    await vi.waitFor(() => {
      expect(w.body({ kind: 'phone-link', org: ORG })).toMatchObject({ up: true });
      expect(w.body({ kind: 'queue', org: ORG, queueId: 'borgerservice' })).not.toHaveProperty('stale');
      expect(w.body({ kind: 'voicemail', org: ORG, ext: '4712' })).toEqual({ v: 1, count: 0 });
    }, 10_000);
  });

  it('republishes everything it owns after the broker lost its store; hands each referral change on once', async () => {
    const phone = scriptedPhone();
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone, now: () => T0 });
    await bridge.ready;
    const l = phone.listener();
    l.link(true);
    l.queue({ queueId: 'borgerservice', waiting: 2, oldestSince: T0 });
    l.voicemail('4713', 4);
    const desk = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    clients.push(desk);
    const lunch = away as Presence;
    const presence: Message = { kind: 'presence', org: ORG, ext: '4713', body: lunch };
    await publishMessage(desk, presence);
    await publishMessage(desk, presence); // the same change again: not handed on twice
    // bad input on a topic the bridge reads: counted, nothing handed on
    const bad = encode(presence);
    await desk.publishAsync(bad.topic.replace('4713', '4714'), '{"v":1,"status":"away"}', { qos: 1 });
    await vi.waitFor(() => expect(bridge?.stats().rejected).toBe(1), 10_000);
    await vi.waitFor(() => expect(phone.referrals).toHaveLength(1), 10_000);
    expect(phone.referrals[0]).toMatchObject({ ext: '4713', presence: lunch, label: 'Lunch' });

    await mosquitto.stop(); // no persistence: the retained store is gone
    await mosquitto.start();
    const w = await watch(mosquitto.url);
    clients.push(w.client);
    await vi.waitFor(() => {
      expect(w.body({ kind: 'queue', org: ORG, queueId: 'borgerservice' })).toMatchObject({ waiting: 2 });
      expect(w.body({ kind: 'voicemail', org: ORG, ext: '4713' })).toEqual({ v: 1, count: 4 });
      expect(w.body({ kind: 'phone-link', org: ORG })).toMatchObject({ up: true });
    }, 20_000);
    expect(phone.referrals).toHaveLength(1);
  });

  it('after its own restart it adopts its retained values and marks them stale while the phone system stays away', async () => {
    const first = scriptedPhone();
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone: first, now: () => T0 });
    await bridge.ready;
    first.listener().link(true);
    first.listener().queue({ queueId: 'sundhed', waiting: 5, oldestSince: T0 });
    const w = await watch(mosquitto.url);
    clients.push(w.client);
    await vi.waitFor(() =>
      expect(w.body({ kind: 'queue', org: ORG, queueId: 'sundhed' })).toMatchObject({ waiting: 5 }),
    );
    await bridge.stop();
    await vi.waitFor(() => expect(w.body({ kind: 'phone-link', org: ORG })).toMatchObject({ up: false }));

    const second = scriptedPhone();
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone: second, now: () => T0 + 1000 });
    await bridge.ready;
    second.listener().link(false, 'PBX unreachable');
    await vi.waitFor(() => {
      expect(w.body({ kind: 'queue', org: ORG, queueId: 'sundhed' })).toMatchObject({
        waiting: 5,
        stale: true,
      });
      expect(w.body({ kind: 'phone-link', org: ORG })).toMatchObject({
        up: false,
        detail: 'PBX unreachable',
      });
    }, 10_000);
  });
});
