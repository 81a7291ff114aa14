// Phone system figures (issue 9): how long from the phone system's event to the desk's LED frame, p50
// and p99, beside a bare MQTT round trip (publish → a subscriber receives) through the same Mosquitto
// in the same run:
// - voicemail: a PUBLISH of message-summary to a real Kamailio → its NOTIFY → the SIP adapter → the
//   bridge → MQTT → a desk agent → the virtual panel's frame event;
// - webhook: a signed POST of a voicemail event → the webhook adapter → the bridge → … → the frame.
// Each sample toggles the count between 1 and 0, so every sample changes the message LED.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { messageSummary } from '../../switchboard/phone/sip/bodies.js';
import { type Endpoint, newTag, openEndpoint } from '../../switchboard/phone/sip/endpoint.js';
import { createWebhookPhone, type WebhookPhone } from '../../switchboard/phone/webhook/adapter.js';
import { sign } from '../../switchboard/phone/webhook/signature.js';
import { MESSAGE_LED } from '../support/desk-agent-harness.js';
import { type Kamailio, startKamailio } from '../support/kamailio.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { percentile, writeBenchResult } from './report.js';

const SAMPLES = 60;
const SECRET = 'bench';

/** Waits for the panel's next frame whose message LED shows `pattern`. */
function ledBecomes(panel: VirtualPanel, pattern: 'on' | 'off'): Promise<void> {
  return new Promise((resolve) => {
    const check = (frame: readonly { pattern: string }[]) => {
      if (frame[MESSAGE_LED]?.pattern !== pattern) return;
      panel.off('frame', check);
      resolve();
    };
    panel.on('frame', check);
  });
}

async function desk(url: string, org: string, ext: string, dir: string) {
  const panel = new VirtualPanel();
  const agent = await startAgent(
    parseConfig({
      org,
      ext,
      deviceId: `desk-${ext}`,
      broker: { url },
      journalPath: join(dir, `${org}-${ext}.json`),
    }),
    { panel, settleMs: 100 },
  );
  return { panel, agent };
}

async function timed(panel: VirtualPanel, send: (count: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES + 5; i++) {
    const count = i % 2 === 0 ? 1 : 0;
    const lit = ledBecomes(panel, count ? 'on' : 'off');
    const t0 = performance.now();
    await send(count);
    await lit;
    if (i >= 5) samples.push(performance.now() - t0); // the first few warm up
  }
  return samples;
}

describe('phone bench', () => {
  let mosquitto: Mosquitto;
  let kamailio: Kamailio;
  let dir: string;
  const stops: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    [mosquitto, kamailio] = await Promise.all([startMosquitto(), startKamailio()]);
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-phone-bench-'));
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await kamailio?.dispose();
    await mosquitto?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('voicemail NOTIFY → LED and webhook → LED against a bare MQTT round trip', async () => {
    // bare transport: one publish → one subscriber
    const sub = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    const pub = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    stops.push(
      () => sub.endAsync(true),
      () => pub.endAsync(true),
    );
    await sub.subscribeAsync('bench/rtt', { qos: 1 });
    const raw: number[] = [];
    for (let i = 0; i < SAMPLES + 5; i++) {
      const got = new Promise<void>((resolve) => sub.once('message', () => resolve()));
      const t0 = performance.now();
      await pub.publishAsync('bench/rtt', JSON.stringify({ v: 1, count: i % 2 }), { qos: 1 });
      await got;
      if (i >= 5) raw.push(performance.now() - t0);
    }

    // SIP: the voicemail server is a UDP endpoint of ours PUBLISHing to Kamailio
    const sipBridge: Bridge = startBridge({
      brokerUrl: mosquitto.url,
      org: 'sipkommun',
      phone: createSipPhone({
        server: { host: kamailio.host, port: kamailio.port },
        domain: kamailio.domain,
        extensions: ['4711'],
        localHost: '127.0.0.1',
      }),
    });
    stops.push(() => sipBridge.stop());
    await sipBridge.ready;
    const sipDesk = await desk(mosquitto.url, 'sipkommun', '4711', dir);
    stops.push(() => sipDesk.agent.stop());
    const vm: Endpoint = await openEndpoint({
      host: '127.0.0.1',
      server: { host: kamailio.host, port: kamailio.port },
      onRequest: () => ({ status: 200, reason: 'OK' }),
      onBadDatagram: () => {},
    });
    stops.push(() => vm.close());
    const uri = `sip:4711@${kamailio.domain}`;
    const callId = `${newTag()}@vm`;
    let cseq = 0;
    const sip = await timed(sipDesk.panel, async (count) => {
      const r = await vm.request(
        'PUBLISH',
        uri,
        [
          ['From', `<${uri}>;tag=${newTag()}`],
          ['To', `<${uri}>`],
          ['Call-ID', callId],
          ['CSeq', `${++cseq} PUBLISH`],
          ['Event', 'message-summary'],
          ['Expires', '3600'],
          ['Content-Type', 'application/simple-message-summary'],
        ],
        messageSummary(count, uri),
      );
      expect(r.status).toBe(200);
    });

    // webhook
    const phone: WebhookPhone = createWebhookPhone({ org: 'hookkommun', port: 0, secret: SECRET });
    const hookBridge = startBridge({ brokerUrl: mosquitto.url, org: 'hookkommun', phone });
    stops.push(() => hookBridge.stop());
    await hookBridge.ready;
    const hookDesk = await desk(mosquitto.url, 'hookkommun', '4711', dir);
    stops.push(() => hookDesk.agent.stop());
    let n = 0;
    const hook = await timed(hookDesk.panel, async (count) => {
      const body = JSON.stringify({
        type: 'voicemail',
        id: `vm-${++n}`,
        at: new Date().toISOString(),
        ext: '4711',
        count,
      });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(phone.url(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hanvisa-signature': sign(SECRET, ts, body),
          'x-hanvisa-timestamp': String(ts),
        },
        body,
      });
      expect(res.status).toBe(200);
    });

    const rawP50 = percentile(raw, 50);
    const rawP99 = percentile(raw, 99);
    await writeBenchResult(
      'phone',
      {
        sipNotifyToLedP50Ms: percentile(sip, 50),
        sipNotifyToLedP99Ms: percentile(sip, 99),
        webhookToLedP50Ms: percentile(hook, 50),
        webhookToLedP99Ms: percentile(hook, 99),
      },
      {
        sipNotifyToLedP50Ms: rawP50,
        sipNotifyToLedP99Ms: rawP99,
        webhookToLedP50Ms: rawP50,
        webhookToLedP99Ms: rawP99,
      },
      { latency: 'a voicemail or queue change reaches the desk lamp well within a second' },
    );
  });
});
