// Whom the SIP adapter listens to, against a real Kamailio: only the configured server's addresses.
// Before, an in-dialog NOTIFY from any host that had sniffed a Call-ID set anyone's voicemail count
// (issue 22, item 5): here an eavesdropper on the path between bridge and PBX (a UDP relay that keeps
// what passes) forges the NOTIFY from a second loopback address, 127.0.0.2: refused unanswered,
// counted and logged as a fault, the count unchanged. The same forgery from the server's address is
// taken, which shows it was a well-formed one.
import { createSocket, type Socket } from 'node:dgram';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode, filterFor } from '../../protocol/index.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { messageSummary } from '../../switchboard/phone/sip/bodies.js';
import { formatMessage, header, parseMessage } from '../../switchboard/phone/sip/message.js';
import { freeUdpPort, type Kamailio, startKamailio } from '../support/kamailio.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { startUdpWire, type UdpWire } from '../support/udp-wire.js';

const ORG = 'grastorp';
const EXT = '2201';

describe('the SIP adapter hears only its server', () => {
  let kamailio: Kamailio;
  let mosquitto: Mosquitto;
  let wire: UdpWire;
  let bridge: Bridge;
  let observer: MqttClient;
  let listenPort: number;
  const counts: number[] = [];

  beforeAll(async () => {
    [kamailio, mosquitto, listenPort] = await Promise.all([startKamailio(), startMosquitto(), freeUdpPort()]);
    wire = await startUdpWire(kamailio);
    observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok && r.message.kind === 'voicemail' && r.message.body) counts.push(r.message.body.count);
    });
    await observer.subscribeAsync(filterFor('voicemail', ORG), { qos: 1 });
    const phone = createSipPhone({
      server: { host: wire.host, port: wire.port },
      domain: kamailio.domain,
      extensions: [EXT],
      localHost: '127.0.0.1',
      localPort: listenPort,
      keepaliveMs: 500,
      timeoutMs: 1500,
    });
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone });
    await bridge.ready;
  }, 60_000);

  afterAll(async () => {
    await bridge?.stop();
    await observer?.endAsync(true);
    await wire?.close();
    await kamailio?.dispose();
    await mosquitto?.dispose();
  });

  /** A socket of the forger's on `host`, keeping whatever answers it gets. */
  async function forger(host: string): Promise<{ socket: Socket; answers: string[] }> {
    const socket = createSocket('udp4');
    const answers: string[] = [];
    socket.on('message', (m) => answers.push(m.toString()));
    await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
    return { socket, answers };
  }

  it('refuses a NOTIFY with a sniffed Call-ID from another host: counted, unanswered, the count unchanged', async () => {
    // what an eavesdropper sees: the bridge's SUBSCRIBE for the extension's voicemail
    const subscribe = await vi.waitFor(() => {
      const seen = wire.sent
        .map((t) => parseMessage(t))
        .find((m) => header(m, 'event') === 'message-summary');
      expect(seen).toBeDefined();
      return seen as NonNullable<typeof seen>;
    }, 20_000);
    const callId = header(subscribe, 'call-id') as string;
    // crypto, not Math.random: 64 random bits
    expect(callId).toMatch(/^[0-9a-f]{16}@hanvisa$/);
    // the subscription's first NOTIFY (nothing published yet: none waiting)
    await vi.waitFor(() => expect(counts).toContain(0), 20_000);

    const forged = (count: number, cseq: number) =>
      formatMessage({
        kind: 'request',
        method: 'NOTIFY',
        uri: `sip:hanvisa@127.0.0.1:${listenPort}`,
        headers: new Map([
          ['via', [`SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKforged${cseq}`]],
          ['from', [`<sip:${EXT}@${kamailio.domain}>;tag=forged`]],
          ['to', [header(subscribe, 'from') as string]],
          ['call-id', [callId]],
          ['cseq', [`${cseq} NOTIFY`]],
          ['event', ['message-summary']],
          ['subscription-state', ['active;expires=3000']],
          ['content-type', ['application/simple-message-summary']],
        ]),
        body: messageSummary(count, `sip:${EXT}@${kamailio.domain}`),
      });
    const faultsBefore = bridge.stats().faults;
    const elsewhere = await forger('127.0.0.2');
    elsewhere.socket.send(forged(7, 100), listenPort, '127.0.0.1');
    await vi.waitFor(() => expect(bridge.stats().faults).toBe(faultsBefore + 1), 10_000);

    // the same forgery from the server's own address is taken: it was well formed
    const onServer = await forger('127.0.0.1');
    onServer.socket.send(forged(3, 101), listenPort, '127.0.0.1');
    await vi.waitFor(() => expect(counts.at(-1)).toBe(3), 10_000);
    expect(onServer.answers.map((a) => a.split('\r\n')[0])).toEqual(['SIP/2.0 200 OK']);
    expect(counts).not.toContain(7);
    expect(elsewhere.answers).toEqual([]);
    expect(bridge.stats().faults).toBe(faultsBefore + 1);
    elsewhere.socket.close();
    onServer.socket.close();
  }, 60_000);
});
