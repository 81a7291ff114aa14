// The webhook's event ledger across a bridge restart, through real HTTP and a real Mosquitto: a captured
// request replayed within the window after the restart is acknowledged as a duplicate and changes
// nothing, and a queue snapshot or voicemail count older than the one applied never wins, before or
// after the restart.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode, type Message } from '../../protocol/index.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createWebhookPhone, type WebhookPhone } from '../../switchboard/phone/webhook/adapter.js';
import { sign } from '../../switchboard/phone/webhook/signature.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORG = 'guldborgsund';
const SECRET = 'the-shared-secret';

describe('webhook replays across a bridge restart', () => {
  let mosquitto: Mosquitto;
  let observer: MqttClient;
  let dir: string;
  let bridge: Bridge | undefined;
  let phone: WebhookPhone;
  const messages: Message[] = [];

  const start = async () => {
    phone = createWebhookPhone({ org: ORG, port: 0, secret: SECRET, ledgerFile: join(dir, 'ledger.json') });
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone });
    await bridge.ready;
  };

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-webhook-ledger-'));
    observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok) messages.push(r.message);
    });
    await observer.subscribeAsync(`hanvisa/v1/${ORG}/#`, { qos: 1 });
    await start();
  });
  afterAll(async () => {
    await observer?.endAsync(true);
    await bridge?.stop();
    await mosquitto?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const request = (event: Record<string, unknown>) => {
    const body = JSON.stringify(event);
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-hanvisa-signature': sign(SECRET, timestamp, body),
        'x-hanvisa-timestamp': String(timestamp),
      },
    };
  };
  const send = async (r: ReturnType<typeof request>) => {
    const res = await fetch(phone.url(), { method: 'POST', headers: r.headers, body: r.body });
    return { status: res.status, body: await res.json() };
  };
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
  const voicemails = (ext: string) =>
    messages.flatMap((m) => (m.kind === 'voicemail' && m.ext === ext && m.body ? [m.body.count] : []));
  const waiting = (queueId: string) =>
    messages.flatMap((m) => (m.kind === 'queue' && m.queueId === queueId && m.body ? [m.body.waiting] : []));
  /** a voicemail for another extension that goes through: everything sent before it has been handled */
  const marker = async (count: number) => {
    const sent = await send(
      request({ type: 'voicemail', id: `marker-${count}`, at: ago(0), ext: '4799', count }),
    );
    expect(sent).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    await vi.waitFor(() => expect(voicemails('4799')).toContain(count), 10_000);
  };

  it('refuses an older snapshot or count after a newer one, and a replay after the restart', async () => {
    const captured = request({ type: 'voicemail', id: 'v-10', at: ago(30), ext: '4720', count: 5 });
    expect(await send(captured)).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    const newer = request({ type: 'voicemail', id: 'v-11', at: ago(10), ext: '4720', count: 0 });
    expect((await send(newer)).status).toBe(200);
    const queue = { type: 'queue', queue: 'borgerservice', oldestSince: null };
    expect((await send(request({ ...queue, id: 'q-2', at: ago(10), waiting: 3 }))).status).toBe(200);

    // a vendor's retry of an earlier event, overtaken by the newer one
    const late = await send(request({ type: 'voicemail', id: 'v-9', at: ago(60), ext: '4720', count: 7 }));
    expect(late).toEqual({ status: 200, body: { ok: true, duplicate: false, superseded: true } });
    await marker(1);
    expect(voicemails('4720')).toEqual([5, 0]);
    expect(phone.superseded()).toBe(1);

    await bridge?.stop();
    await start();
    // the captured request, still inside the 300 s window, against the restarted bridge
    expect(await send(captured)).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    // new ids, but older than what was applied before the restart
    const older = await send(request({ type: 'voicemail', id: 'v-12', at: ago(20), ext: '4720', count: 4 }));
    expect(older.body).toEqual({ ok: true, duplicate: false, superseded: true });
    const olderQueue = await send(request({ ...queue, id: 'q-1', at: ago(20), waiting: 9 }));
    expect(olderQueue.body).toEqual({ ok: true, duplicate: false, superseded: true });
    await marker(2);
    expect(voicemails('4720').filter((c) => c !== 0)).toEqual([5]);
    expect(waiting('borgerservice')).not.toContain(9);
    expect(phone.duplicates()).toBe(1);

    // a newer event still goes through
    expect((await send(request({ ...queue, id: 'q-3', at: ago(0), waiting: 1 }))).status).toBe(200);
    await vi.waitFor(() => expect(waiting('borgerservice').at(-1)).toBe(1), 10_000);
  });

  it('refuses an event dated ahead of the replay window (it would hold back every later one)', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    const sent = await send(
      request({ type: 'voicemail', id: 'v-future', at: future, ext: '4720', count: 8 }),
    );
    expect(sent).toEqual({
      status: 400,
      body: { error: 'malformed', message: 'at: more than 300 s ahead of our clock' },
    });
  });

  it('answers 503 and changes nothing while the ledger cannot be saved; the retry then goes through', async () => {
    // the temp file the ledger is written through cannot be made: a folder has its name
    const blocker = join(dir, `.ledger.json.${process.pid}.tmp`);
    await mkdir(blocker);
    const event = request({ type: 'voicemail', id: 'v-disk', at: ago(0), ext: '4730', count: 6 });
    expect(await send(event)).toEqual({
      status: 503,
      body: { error: 'unavailable', message: 'the event could not be recorded; nothing changed, retry it' },
    });
    await rm(blocker, { recursive: true });
    await marker(3);
    expect(voicemails('4730')).toEqual([]);
    expect(await send(event)).toEqual({ status: 200, body: { ok: true, duplicate: false } });
    await vi.waitFor(() => expect(voicemails('4730')).toEqual([6]), 10_000);
  });
});
