// Calls follow the referral, with real calls: the shipped Kamailio config (deploy/kamailio/) as the PBX,
// baresip phones registered as the caller, the desk, a colleague and the switchboard, and the phone
// bridge as Kamailio's redirect server, fed referrals over a real Mosquitto. Each test places a call
// and waits on the phones' own events for which one rang (docs/phone.md, "Calls follow the referral").
import { createSocket } from 'node:dgram';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFailed, vi } from 'vitest';
import { decode, type ExtCallEvent, filterFor, type LineState } from '../../protocol/index.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { askBridge, bridgeDecides, bridgeKnows, hangUpAll, lunch, referrer } from '../support/call-rig.js';
import { freeUdpPort, type Kamailio, startKamailio } from '../support/kamailio.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { type SipPhone, startPhone } from '../support/sip-phones.js';

const ORG = 'grastorp';
const SWITCHBOARD = '9000';
const RING_LIMIT = 2;

describe('calls follow the referral (Kamailio as shipped, baresip phones)', () => {
  let mosquitto: Mosquitto;
  let kamailio: Kamailio;
  let bridge: Bridge | undefined;
  let bridgePort: number;
  let client: MqttClient;
  let caller: SipPhone;
  let desk: SipPhone;
  let colleague: SipPhone;
  let switchboard: SipPhone;
  const events: ExtCallEvent[] = [];
  /** line/{ext} as the bridge last said it */
  const lines = new Map<string, LineState['state']>();
  let refer: ReturnType<typeof referrer>;

  const startRoutingBridge = async () => {
    bridge = startBridge({
      brokerUrl: mosquitto.url,
      org: ORG,
      phone: createSipPhone({
        server: { host: kamailio.host, port: kamailio.port },
        domain: kamailio.domain,
        extensions: [],
        localHost: '127.0.0.1',
        localPort: bridgePort,
        keepaliveMs: 500,
      }),
      // Grästorp: no forwarding to the municipality's main number; a short ring limit is config, not a sleep
      routing: { switchboard: SWITCHBOARD, ringLimitSeconds: RING_LIMIT, refuseForwardTo: ['58000'] },
    });
    await bridge.ready;
  };

  /** the call's steps as the bridge decided them (the line watcher's `answered` aside) */
  const decided = (from: number) => events.slice(from).filter((e) => e.event !== 'answered');
  /** the call was answered, and by whom: the phone that took it, not the one dialled */
  const answeredBy = (from: number) =>
    vi.waitFor(
      () => {
        const found = events.slice(from).find((e) => e.event === 'answered');
        expect(found).toBeDefined();
        return found as ExtCallEvent;
      },
      { timeout: 10_000 },
    );
  /** a call diverted from the desk is the switchboard's: it answered, and the desk's line is not in a call */
  const switchboardAnswered = async (from: number) => {
    const answered = await answeredBy(from);
    expect(answered).toMatchObject({ target: SWITCHBOARD, call: events[from]?.call });
    expect(lines.get('4711')).not.toBe('in-call');
    return answered;
  };
  const routed = (from: number) =>
    vi.waitFor(
      () => {
        const found = events.slice(from).find((e) => e.event === 'routed');
        expect(found).toBeDefined();
        return found as ExtCallEvent;
      },
      { timeout: 10_000 },
    );
  /** the bridge has heard the retained referrals (its first decision is not a fail-open) */
  const bridgeSettled = async () => {
    const probe = events.length;
    await bridgeDecides(bridgePort, SWITCHBOARD);
    events.splice(probe);
  };
  const knows = (ext: string, target: string, timeout?: number) =>
    bridgeKnows(bridgePort, ext, target, timeout);
  const call = async (from: SipPhone, to: string) => {
    // where each phone's events stand before the call: a phone may ring before the test awaits it
    const marks = {
      events: events.length,
      desk: desk.events().length,
      colleague: colleague.events().length,
      switchboard: switchboard.events().length,
    };
    await from.dial(to);
    return marks;
  };
  const phones = () => [caller, desk, colleague, switchboard];
  const nothingRinging = () => hangUpAll(phones());

  beforeAll(async () => {
    bridgePort = await freeUdpPort();
    [mosquitto, kamailio] = await Promise.all([
      startMosquitto(),
      startKamailio({ bridge: { host: '127.0.0.1', port: bridgePort } }),
    ]);
    client = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    refer = referrer(client, ORG);
    client.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      // the probes' questions (knows) are not the calls under test
      if (r.ok && r.message.kind === 'ext-call' && !r.message.body.call.startsWith('probe-'))
        events.push(r.message.body);
      if (r.ok && r.message.kind === 'line' && r.message.body) lines.set(r.message.ext, r.message.body.state);
    });
    await client.subscribeAsync([filterFor('ext-call', ORG), filterFor('line', ORG)], { qos: 1 });
    await startRoutingBridge();
    [caller, desk, colleague, switchboard] = await Promise.all([
      startPhone(kamailio, '1000'),
      startPhone(kamailio, '4711'),
      startPhone(kamailio, '4712'),
      startPhone(kamailio, SWITCHBOARD, 'auto'),
    ]);
    await bridgeSettled();
  }, 60_000);

  beforeEach(() => {
    // a failed call says what Kamailio decided and what the caller saw
    onTestFailed(() => {
      console.log(
        kamailio
          .log()
          .split('\n')
          .filter((l) => /hanvisa|ERROR/.test(l))
          .slice(-20)
          .join('\n'),
      );
      console.log(caller.log().slice(-4000));
    });
  });

  afterEach(async () => {
    desk.answering('ring');
    await nothingRinging();
  });

  afterAll(async () => {
    await Promise.all([caller, desk, colleague, switchboard].map((p) => p?.stop()));
    await bridge?.stop();
    await client?.endAsync();
    await kamailio?.dispose();
    await mosquitto?.dispose();
  });

  it('the bridge answers OPTIONS, so a PBX can tell it is there before it asks', async () => {
    expect(await askBridge(bridgePort, 'OPTIONS', SWITCHBOARD)).toMatch(/^SIP\/2\.0 200/);
  });

  it('SAMSA: a forward rings the colleague, not the desk', async () => {
    await refer('4711', lunch({ kind: 'forward', to: '4712' }));
    await refer('4712', {});
    await knows('4711', '4712');
    const from = await call(caller, '4711');
    await colleague.next('CALL_INCOMING', { from: from.colleague });
    expect(await routed(from.events)).toMatchObject({
      to: 'forward',
      target: '4712',
      cause: 'referred',
      reason: 'lunch',
    });
    expect(desk.events().some((e) => e.type === 'CALL_INCOMING')).toBe(false);
    // the colleague's phone is told whose call it is and why (Diversion, Hanvisa-Reason)
    expect(colleague.log()).toMatch(/Diversion: <sip:4711@127\.0\.0\.1>;reason=away/);
  }, 30_000);

  it('Grästorp: a forward to the main number is not followed; the switchboard takes the call', async () => {
    await refer('4711', lunch({ kind: 'forward', to: '58000' }));
    await knows('4711', SWITCHBOARD);
    const from = await call(caller, '4711');
    await switchboard.next('CALL_ESTABLISHED', { from: from.switchboard });
    expect(await routed(from.events)).toMatchObject({ to: 'switchboard', cause: 'refused-forward' });
  }, 30_000);

  it('reopen (the desk was referred to the switchboard): within 1 s the next call rings the desk again', async () => {
    const pressed = await refer('4711', {});
    // issue 22: "Reopen → the next call rings the desk again (within 1 s of the key press)"
    await knows('4711', '4711', 1000);
    const from = await call(caller, '4711');
    await desk.next('CALL_INCOMING', { from: from.desk });
    const event = await routed(from.events);
    expect(event).toMatchObject({ to: 'desk', target: '4711', cause: 'available' });
    // the decision followed the key press (it came after it, from the new presence)
    expect(Date.parse(event.at)).toBeGreaterThanOrEqual(pressed - 5);
  }, 30_000);

  it('referred with info only: the switchboard answers, told who was called, why and until when', async () => {
    const deskRang = desk.events().length;
    await refer('4711', lunch({ kind: 'info', text: 'Eva knows' }));
    await knows('4711', SWITCHBOARD);
    const from = await call(caller, '4711');
    await switchboard.next('CALL_ESTABLISHED', { from: from.switchboard });
    expect(await routed(from.events)).toMatchObject({
      to: 'switchboard',
      target: SWITCHBOARD,
      cause: 'referred',
    });
    expect(switchboard.log()).toMatch(/Diversion: <sip:4711@127\.0\.0\.1>;reason=away;counter=1/);
    expect(switchboard.log()).toMatch(/Hanvisa-Reason: Lunch, tillbaka \d\d:\d\d/);
    expect(
      desk
        .events()
        .slice(deskRang)
        .some((e) => e.type === 'CALL_INCOMING'),
    ).toBe(false);
  }, 30_000);

  it('Guldborgsund: an unreferred desk that rings out goes on to the switchboard, counted unanswered', async () => {
    await refer('4711', {});
    await knows('4711', '4711');
    const deskFrom = desk.events().length;
    const from = await call(caller, '4711');
    await desk.next('CALL_INCOMING', { from: deskFrom });
    await switchboard.next('CALL_ESTABLISHED', { from: from.switchboard, timeoutMs: 15_000 });
    await vi.waitFor(() =>
      expect(decided(from.events).map((e) => e.event)).toEqual(['routed', 'unanswered', 'routed']),
    );
    const [first, rangOut, second] = decided(from.events);
    expect(first).toMatchObject({ to: 'desk', cause: 'available' });
    // it rang the ring limit (Kamailio's timers tick in 1/16 s, so it may fire a tick early)
    expect(rangOut?.ringSeconds).toBeGreaterThan(RING_LIMIT - 0.5);
    expect(second).toMatchObject({ to: 'switchboard', cause: 'unanswered', target: SWITCHBOARD });
    expect(rangOut?.call).toBe(first?.call);
    // the switchboard answered it, having rung for less than the desk's ring limit plus its own
    const answered = await switchboardAnswered(from.events);
    expect(answered.ringSeconds).toBeLessThan(RING_LIMIT);
  }, 30_000);

  it('Guldborgsund: a busy desk sends the call back to the switchboard', async () => {
    desk.answering('busy');
    const from = await call(caller, '4711');
    await switchboard.next('CALL_ESTABLISHED', { from: from.switchboard });
    await vi.waitFor(() =>
      expect(events.slice(from.events).filter((e) => e.event === 'routed')).toHaveLength(2),
    );
    expect(decided(from.events).at(-1)).toMatchObject({ to: 'switchboard', cause: 'busy' });
    await switchboardAnswered(from.events);
    expect(switchboard.log()).toMatch(/Diversion: <sip:4711@127\.0\.0\.1>;reason=user-busy/);
  }, 30_000);

  it("an operator's transfer to a referred desk rings there, and when nobody answers comes back bounced", async () => {
    // the operator's own phone is a second registration of the switchboard's extension: calls from it
    // are transfers, and the call coming back rings the switchboard (the other operator answers)
    const operator = await startPhone(kamailio, SWITCHBOARD);
    try {
      await refer('4711', lunch());
      await knows('4711', SWITCHBOARD);
      const deskFrom = desk.events().length;
      const from = await call(operator, '4711');
      await desk.next('CALL_INCOMING', { from: deskFrom });
      await switchboard.next('CALL_ESTABLISHED', { from: from.switchboard, timeoutMs: 15_000 });
      await vi.waitFor(() =>
        expect(decided(from.events).map((e) => e.event)).toEqual(['routed', 'bounced', 'routed']),
      );
      const [first, bounced, back] = decided(from.events);
      expect(first).toMatchObject({ to: 'desk', target: '4711', cause: 'referred', transfer: true });
      expect(bounced).toMatchObject({ transfer: true, call: first?.call });
      expect(back).toMatchObject({ to: 'switchboard', cause: 'unanswered', transfer: true });
      await switchboardAnswered(from.events);
      await operator.hangup();
    } finally {
      await operator.stop();
    }
  }, 30_000);

  it('fails open: with the bridge stopped, and with it hung, the call rings the desk', async () => {
    await refer('4711', lunch());
    await bridge?.stop();
    bridge = undefined;
    try {
      const stopped = desk.events().length;
      await call(caller, '4711');
      await desk.next('CALL_INCOMING', { from: stopped });
      await nothingRinging();
      // hung: the port is held by a socket that reads and never answers
      const hung = createSocket('udp4');
      await new Promise<void>((resolve) => hung.bind(bridgePort, '127.0.0.1', resolve));
      try {
        const from = desk.events().length;
        await call(caller, '4711');
        await desk.next('CALL_INCOMING', { from });
        await nothingRinging();
      } finally {
        await new Promise<void>((resolve) => hung.close(() => resolve()));
      }
      expect(kamailio.log()).toMatch(/hanvisa: no decision for .* fail open/);
    } finally {
      await startRoutingBridge();
      await bridgeSettled();
    }
  }, 60_000);
});
