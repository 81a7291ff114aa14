// "On the phone" with real calls (issue 22, item 4, and the `answered` half of item 3): Kamailio as
// registrar and proxy with dialog + pua_dialoginfo + presence_dialoginfo, two baresip phones (a desk on
// 4711, the switchboard on 9000), the phone bridge's SIP adapter subscribing `Event: dialog`, through a
// real Mosquitto, and the switchboard's desk agent whose layout has a line lamp for the desk (the lamp a
// transfer is checked against). Guldborgsund: "omstillingen kan se, når personen er ledig igen" and "svar inden 4
// ring" need the line and how long a call rang.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { decode, type ExtCallEvent, filterFor, type LineState } from '../../protocol/index.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { publishMessage } from '../../switchboard/publish.js';
import { type Kamailio, startKamailio } from '../support/kamailio.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { type SipPhone, startPhone } from '../support/sip-phones.js';

const ORG = 'guldborgsund';
const DESK = '4711';
const SWITCHBOARD = '9000';
/** On the switchboard's desk, the LED of the default layout's queue lamp shows the desk's line instead. */
const LINE_LED = 10;

describe('line state and answered calls from real SIP dialogs', () => {
  let kamailio: Kamailio;
  let mosquitto: Mosquitto;
  let bridge: Bridge;
  let desk: SipPhone;
  let switchboard: SipPhone;
  let observer: mqtt.MqttClient;
  let agent: Agent;
  let dir: string;
  const panel = new VirtualPanel();
  /** the line lamp's patterns, each change once */
  const lamp: string[] = [];
  const lines: { ext: string; body: LineState; at: number }[] = [];
  const calls: { ext: string; body: ExtCallEvent }[] = [];
  const states = (ext: string) => lines.filter((l) => l.ext === ext).map((l) => l.body.state);

  beforeAll(async () => {
    [kamailio, mosquitto] = await Promise.all([startKamailio(), startMosquitto()]);
    observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (!r.ok) return;
      const m = r.message;
      if (m.kind === 'line' && m.body) lines.push({ ext: m.ext, body: m.body, at: Date.now() });
      if (m.kind === 'ext-call' && m.body) calls.push({ ext: m.ext, body: m.body });
    });
    await observer.subscribeAsync([filterFor('line', ORG), filterFor('ext-call', ORG)], { qos: 1 });
    // the directory names the desk's person; the switchboard's extension is one the config watches
    await publishMessage(observer, {
      kind: 'directory-person',
      org: ORG,
      ext: DESK,
      body: { v: 1, name: 'Anna Ek', department: 'kommunikation' },
    });
    bridge = startBridge({
      brokerUrl: mosquitto.url,
      org: ORG,
      phone: createSipPhone({
        server: { host: kamailio.host, port: kamailio.port },
        domain: kamailio.domain,
        extensions: [SWITCHBOARD],
        localHost: '127.0.0.1',
        keepaliveMs: 500,
        timeoutMs: 1500,
      }),
    });
    await bridge.ready;
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-phone-dialog-'));
    agent = await startAgent(
      parseConfig({
        org: ORG,
        ext: SWITCHBOARD,
        deviceId: `desk-${SWITCHBOARD}`,
        broker: { url: mosquitto.url },
        journalPath: join(dir, 'journal.json'),
        layout: {
          ...DEFAULT_LAYOUT,
          leds: DEFAULT_LAYOUT.leds.map((l) =>
            l.led === LINE_LED ? { led: LINE_LED, role: { type: 'line', ext: DESK } } : l,
          ),
        },
      }),
      { panel, settleMs: 100 },
    );
    panel.on('frame', (frame) => {
      const pattern = frame[LINE_LED]?.pattern ?? 'off';
      if (lamp.at(-1) !== pattern) lamp.push(pattern);
    });
    [desk, switchboard] = await Promise.all([startPhone(kamailio, DESK), startPhone(kamailio, SWITCHBOARD)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([desk?.stop(), switchboard?.stop()]);
    await agent?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    await bridge?.stop();
    await observer?.endAsync(true);
    await kamailio?.dispose();
    await mosquitto?.dispose();
  });

  it('a call placed and answered: the desk goes ringing, in a call, idle; one answered event with the seconds it rang', async () => {
    // each watched line starts idle (the subscription's first NOTIFY), whether learnt from the directory or the config
    await vi.waitFor(() => {
      expect(states(DESK)).toEqual(['idle']);
      expect(states(SWITCHBOARD)).toEqual(['idle']);
    }, 20_000);
    const placed = Date.now();
    await switchboard.dial(DESK);
    await desk.next('CALL_INCOMING');
    await vi.waitFor(() => expect(states(DESK).at(-1)).toBe('ringing'), 20_000);
    // the switchboard's desk lamp for the desk blinks while it rings
    await vi.waitFor(() => expect(panel.frame[LINE_LED]).toEqual({ pattern: 'fast', color: 'red' }), 20_000);
    // the operator sees the switchboard's own phone busy while it calls out
    await vi.waitFor(() => expect(states(SWITCHBOARD).at(-1)).toBe('in-call'), 20_000);
    await desk.accept();
    await switchboard.next('CALL_ESTABLISHED');
    await vi.waitFor(() => expect(states(DESK).at(-1)).toBe('in-call'), 20_000);
    const answered = Date.now();
    await vi.waitFor(() => expect(panel.frame[LINE_LED]).toEqual({ pattern: 'on', color: 'red' }), 20_000);
    await vi.waitFor(() => expect(calls).toHaveLength(1), 20_000);
    await switchboard.hangup();
    await desk.next('CALL_CLOSED');
    await vi.waitFor(() => {
      expect(states(DESK)).toEqual(['idle', 'ringing', 'in-call', 'idle']);
      expect(states(SWITCHBOARD).at(-1)).toBe('idle');
    }, 20_000);

    const ringing = lines.find((l) => l.ext === DESK && l.body.state === 'ringing');
    const inCall = lines.find((l) => l.ext === DESK && l.body.state === 'in-call');
    await vi.waitFor(() => expect(panel.frame[LINE_LED]?.pattern).toBe('off'), 20_000);
    expect(lamp.slice(lamp.indexOf('fast'))).toEqual(['fast', 'on', 'off']);

    expect(Date.parse(ringing?.body.since ?? '')).toBeLessThanOrEqual(Date.parse(inCall?.body.since ?? ''));

    const [event] = calls;
    expect(event?.ext).toBe(DESK);
    expect(event?.body).toMatchObject({ event: 'answered', target: DESK });
    // the SIP Call-ID as Kamailio's dialog state gave it (the recorder joins the call's steps by it)
    expect(event?.body.call).toMatch(/^\S+$/);
    expect(event?.body.id).toMatch(/^answered-[0-9a-f]{32}$/);
    // it rang for part of the time between dialling and the answer being seen, not more
    const rang = event?.body.ringSeconds ?? -1;
    expect(rang).toBeGreaterThan(0);
    expect(rang).toBeLessThanOrEqual((answered - placed) / 1000);
    // the caller's side of the call is no answer: one event only
    expect(calls).toHaveLength(1);
    expect(bridge.stats().faults).toBe(0);
  }, 90_000);
});
