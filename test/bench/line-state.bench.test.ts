// "On the phone" figures (issue 22, item 4): how soon the broker carries line/{ext} after the phone
// itself says so, over real calls between two baresip phones through Kamailio (dialog +
// pua_dialoginfo + presence_dialoginfo) and the phone bridge's dialog subscriptions, beside a bare MQTT
// round trip through the same Mosquitto in the same run:
// - ring: the called phone's CALL_INCOMING (its ctrl_tcp event) → line/{ext} `ringing` at a subscriber;
// - answer: the caller's CALL_ESTABLISHED → line/{ext} `in-call` at a subscriber.
// Both start at a baresip event, which itself crosses a TCP socket: a figure near zero (or below) says
// the bridge's path is as quick as the phone's own report.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, filterFor } from '../../protocol/index.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { type Kamailio, startKamailio } from '../support/kamailio.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { type SipPhone, startPhone } from '../support/sip-phones.js';
import { p50p99, writeBenchResult } from './report.js';

const CALLS = 30;
const ORG = 'benchkommun';
const DESK = '4711';
const SWITCHBOARD = '9000';

describe('line state bench', () => {
  let kamailio: Kamailio;
  let mosquitto: Mosquitto;
  let bridge: Bridge;
  let desk: SipPhone;
  let switchboard: SipPhone;
  let observer: mqtt.MqttClient;
  /** resolves the wait for the desk's line reaching a state, with the time it was heard */
  let waiting: { state: string; resolve: (at: number) => void } | undefined;
  const lineIs = (state: string) =>
    new Promise<number>((resolve) => {
      waiting = { state, resolve };
    });

  beforeAll(async () => {
    [kamailio, mosquitto] = await Promise.all([startKamailio(), startMosquitto()]);
    observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const at = performance.now();
      const r = decode(topic, payload);
      if (!r.ok || r.message.kind !== 'line' || r.message.ext !== DESK || !r.message.body) return;
      if (waiting && r.message.body.state === waiting.state) {
        const w = waiting;
        waiting = undefined;
        w.resolve(at);
      }
    });
    await observer.subscribeAsync(filterFor('line', ORG), { qos: 1 });
    bridge = startBridge({
      brokerUrl: mosquitto.url,
      org: ORG,
      phone: createSipPhone({
        server: { host: kamailio.host, port: kamailio.port },
        domain: kamailio.domain,
        extensions: [DESK],
        localHost: '127.0.0.1',
      }),
    });
    await bridge.ready;
    [desk, switchboard] = await Promise.all([startPhone(kamailio, DESK), startPhone(kamailio, SWITCHBOARD)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([desk?.stop(), switchboard?.stop()]);
    await bridge?.stop();
    await observer?.endAsync(true);
    await kamailio?.dispose();
    await mosquitto?.dispose();
  });

  it('phone event → line/{ext} on the broker, against a bare MQTT round trip', async () => {
    const pub = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    const sub = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    await sub.subscribeAsync('bench/rtt', { qos: 1 });
    const raw: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const got = new Promise<void>((resolve) => sub.once('message', () => resolve()));
      const t0 = performance.now();
      await pub.publishAsync('bench/rtt', '{"v":1}', { qos: 1 });
      await got;
      raw.push(performance.now() - t0);
    }
    await Promise.all([pub.endAsync(true), sub.endAsync(true)]);

    const ring: number[] = [];
    const answer: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      // each wait looks at this call's events only
      const from = { desk: desk.events().length, switchboard: switchboard.events().length };
      const ringing = lineIs('ringing');
      await switchboard.dial(DESK);
      await desk.next('CALL_INCOMING', { from: from.desk });
      const rang = performance.now();
      ring.push((await ringing) - rang);
      const inCall = lineIs('in-call');
      await desk.accept();
      await switchboard.next('CALL_ESTABLISHED', { from: from.switchboard });
      const established = performance.now();
      answer.push((await inCall) - established);
      const idle = lineIs('idle');
      await switchboard.hangup();
      await desk.next('CALL_CLOSED', { from: from.desk });
      await switchboard.next('CALL_CLOSED', { from: from.switchboard });
      await idle;
    }
    expect(bridge.stats().faults).toBe(0);
    await writeBenchResult(
      'line-state',
      { ...p50p99('ringToLine', ring), ...p50p99('answerToLine', answer) },
      { ...p50p99('ringToLine', raw), ...p50p99('answerToLine', raw) },
    );
  });
});
