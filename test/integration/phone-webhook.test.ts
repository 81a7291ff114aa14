// The webhook adapter through the bridge and a real Mosquitto: signed events become queue, call and
// voicemail messages; bad signatures, replays, oversized and malformed bodies get a clear 4xx and
// change nothing; a repeated event id is acknowledged once. Referral changes go out signed to a real
// HTTP receiver, retried while it fails, and logged as undeliverable when it never answers.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode, encode, type Message, type Presence } from '../../protocol/index.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createWebhookPhone, type WebhookPhone } from '../../switchboard/phone/webhook/adapter.js';
import { sign, verify } from '../../switchboard/phone/webhook/signature.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { away } from '../support/presence-fixture.js';

const ORG = 'guldborgsund';
const SECRET = 'the-shared-secret';
const AT = '2026-11-23T10:00:00.000Z';

describe('webhook adapter', () => {
  let mosquitto: Mosquitto;
  let bridge: Bridge;
  let phone: WebhookPhone;
  let receiver: Server;
  let observer: MqttClient;
  let dir: string;
  const received: { body: string; signature: string; timestamp: string }[] = [];
  /** how many of the next deliveries the receiver fails with 503 */
  let failNext = 0;
  const messages: Message[] = [];

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-webhook-'));
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push({
          body,
          signature: String(req.headers['x-hanvisa-signature']),
          timestamp: String(req.headers['x-hanvisa-timestamp']),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address() as { port: number };
    phone = createWebhookPhone({
      org: ORG,
      port: 0,
      secret: SECRET,
      maxBodyBytes: 4096,
      out: {
        url: `http://127.0.0.1:${address.port}/referrals`,
        undeliverablePath: join(dir, 'undeliverable.jsonl'),
        attempts: 3,
        retryMs: { min: 10, max: 40 },
      },
    });
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone, alarmSeconds: { default: 20 } });
    await bridge.ready;
    observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok) messages.push(r.message);
    });
    await observer.subscribeAsync(`hanvisa/v1/${ORG}/#`, { qos: 1 });
  });
  afterAll(async () => {
    await observer?.endAsync(true);
    await bridge?.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await mosquitto?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string> = signed(body)) =>
    fetch(phone.url(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  function signed(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    return { 'x-hanvisa-signature': sign(SECRET, timestamp, body), 'x-hanvisa-timestamp': String(timestamp) };
  }
  const kinds = () => messages.filter((m) => m.kind !== 'presence').map((m) => m.kind);

  it('signed events become queue, call and voicemail messages; the link comes up; a repeated id counts once', async () => {
    const queue = JSON.stringify({
      type: 'queue',
      id: 'q-1',
      at: AT,
      queue: 'borgerservice',
      waiting: 2,
      oldestSince: AT,
      calls: [
        { id: 'c1', position: 1, since: AT },
        { id: 'c2', position: 2, since: AT },
      ],
    });
    expect((await post(queue)).status).toBe(200);
    const call = JSON.stringify({
      type: 'call',
      id: 'e-1',
      at: AT,
      queue: 'borgerservice',
      call: 'c1',
      event: 'entered',
      position: 1,
    });
    expect((await post(call)).status).toBe(200);
    const again = await post(call);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(
      (await post(JSON.stringify({ type: 'voicemail', id: 'v-1', at: AT, ext: '4711', count: 3 }))).status,
    ).toBe(200);
    await vi.waitFor(() => {
      expect(messages).toContainEqual(
        expect.objectContaining({
          kind: 'phone-link',
          body: expect.objectContaining({ up: true, system: 'webhook' }),
        }),
      );
      expect(messages).toContainEqual(
        expect.objectContaining({
          kind: 'queue',
          queueId: 'borgerservice',
          body: expect.objectContaining({ waiting: 2, alarmSeconds: 20 }),
        }),
      );
      expect(messages).toContainEqual(
        expect.objectContaining({ kind: 'voicemail', ext: '4711', body: { v: 1, count: 3 } }),
      );
      expect(messages.filter((m) => m.kind === 'call-event')).toHaveLength(1);
    }, 10_000);
    expect(phone.duplicates()).toBe(1);
  });

  it('refuses bad signatures, replays, oversized and malformed bodies with a clear 4xx, and changes nothing', async () => {
    const before = kinds().length;
    const body = JSON.stringify({ type: 'voicemail', id: 'v-bad', at: AT, ext: '4711', count: 9 });
    const cases: [string, Promise<Response>, number, string][] = [
      ['no signature', post(body, {}), 401, 'signature'],
      [
        'wrong secret',
        post(body, {
          ...signed(body),
          'x-hanvisa-signature': sign('other', Math.floor(Date.now() / 1000), body),
        }),
        401,
        'signature',
      ],
      ['body changed after signing', post(body.replace('9', '8'), signed(body)), 401, 'signature'],
      [
        'replayed an hour later',
        post(body, signed(body, Math.floor(Date.now() / 1000) - 3600)),
        401,
        'replay',
      ],
      [
        'oversized',
        post(JSON.stringify({ type: 'heartbeat', id: 'h', at: AT, pad: 'x'.repeat(5000) })),
        413,
        'too-large',
      ],
      ['not JSON', post('{"type":'), 400, 'malformed'],
      [
        'wrong shape',
        post(JSON.stringify({ type: 'voicemail', id: 'v-2', at: AT, ext: 'abc', count: -1 })),
        400,
        'malformed',
      ],
      ['unknown type', post(JSON.stringify({ type: 'fax', id: 'f', at: AT })), 400, 'malformed'],
    ];
    for (const [what, response, status, error] of cases) {
      const res = await response;
      expect(res.status, what).toBe(status);
      expect((await res.json()).error, what).toBe(error);
    }
    // a marker event that goes through: everything before it has been handled
    expect(
      (await post(JSON.stringify({ type: 'voicemail', id: 'v-marker', at: AT, ext: '4712', count: 1 })))
        .status,
    ).toBe(200);
    await vi.waitFor(
      () => expect(messages).toContainEqual(expect.objectContaining({ kind: 'voicemail', ext: '4712' })),
      10_000,
    );
    expect(kinds().length).toBe(before + 1);
    expect(messages.some((m) => m.kind === 'voicemail' && m.body?.count === 9)).toBe(false);
    expect(phone.refused()).toMatchObject({ signature: 3, replay: 1, 'too-large': 1, malformed: 3 });
  });

  it('sends each referral change signed, retrying while the receiver fails', async () => {
    failNext = 2;
    const desk = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    const lunch = { ...away, seq: 11 } as Presence;
    const e = encode({ kind: 'presence', org: ORG, ext: '4711', body: lunch });
    await desk.publishAsync(e.topic, Buffer.from(e.payload), { qos: 1, retain: true });
    await desk.endAsync();
    await vi.waitFor(() => expect(received).toHaveLength(1), 10_000);
    const [delivery] = received;
    if (!delivery) throw new Error('nothing received');
    expect(
      verify(
        SECRET,
        { signature: delivery.signature, timestamp: delivery.timestamp },
        delivery.body,
        Date.now(),
        300,
      ),
    ).toEqual({ ok: true });
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'referral',
      ext: '4711',
      status: 'away',
      reason: 'lunch',
      label: 'Lunch',
      until: lunch.until,
      note: 'Lunch, tillbaka 12:45',
    });
    expect(failNext).toBe(0);
  });

  it('a private reason goes out only as away, with the word for away as its label (SAMSA, Högsby: sick stays private)', async () => {
    const desk = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    const sick = { ...away, reason: 'sick', seq: 13 } as Presence;
    const e = encode({ kind: 'presence', org: ORG, ext: '4714', body: sick });
    await desk.publishAsync(e.topic, Buffer.from(e.payload), { qos: 1, retain: true });
    await desk.endAsync();
    const body = await vi.waitFor(() => {
      const delivery = received.map((r) => JSON.parse(r.body)).find((b) => b.ext === '4714');
      expect(delivery).toBeDefined();
      return delivery;
    }, 10_000);
    expect(body).toMatchObject({
      status: 'away',
      reason: 'away',
      label: 'Borta',
      note: 'Borta, tillbaka 12:45',
    });
    expect(JSON.stringify(body)).not.toMatch(/sick|Sjuk/i);
  });

  it('logs a referral it could not deliver after its last attempt', async () => {
    failNext = 100;
    const desk = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    const meeting = { ...away, reason: 'meeting', seq: 12 } as Presence;
    const e = encode({ kind: 'presence', org: ORG, ext: '4713', body: meeting });
    await desk.publishAsync(e.topic, Buffer.from(e.payload), { qos: 1, retain: true });
    await desk.endAsync();
    await vi.waitFor(() => expect(phone.undeliverable()).toBe(1), 10_000);
    const lines = (await readFile(join(dir, 'undeliverable.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        failure: 'HTTP 503',
        referral: expect.objectContaining({ ext: '4713', reason: 'meeting' }),
      }),
    ]);
    failNext = 0;
  });
});
