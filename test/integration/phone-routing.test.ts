// The bridge's routing feature against a real Mosquitto, with a scripted phone system asking where calls
// ring (the SIP path with real calls is call-routing.test.ts): no answer before the retained referrals
// are in (the PBX fails open), a private reason told only as "away", a retransmitted question answered
// the same and published once, a call before that published as failed open, the ring time of a ring-out on a fake clock, and no routing configured.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  decode,
  type ExtCallEvent,
  encode,
  filterFor,
  type Presence,
  topicFor,
} from '../../protocol/index.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import type { CallQuery } from '../../switchboard/phone/port.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { scriptedPhone } from '../support/scripted-phone.js';

const ORG = 'guldborgsund';
const T0 = Date.parse('2026-11-23T10:42:00.000Z');

describe('phone bridge routing', () => {
  let mosquitto: Mosquitto;
  let client: MqttClient;
  let bridge: Bridge | undefined;
  const events: ExtCallEvent[] = [];

  const sick: Presence = {
    v: 1,
    status: 'away',
    reason: 'sick',
    since: '2026-11-23T07:00:00.000Z',
    until: '2026-11-24T07:00:00.000Z',
    alt: null,
    seq: 1,
    by: { kind: 'operator', id: 'op-anna' },
    at: '2026-11-23T07:00:00.000Z',
  };

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    client = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    client.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok && r.message.kind === 'ext-call') events.push(r.message.body);
    });
    await client.subscribeAsync(filterFor('ext-call', ORG), { qos: 1 });
    const { topic, payload, retain, qos } = encode({ kind: 'presence', org: ORG, ext: '4711', body: sick });
    await client.publishAsync(topic, payload, { retain, qos });
  });
  afterEach(async () => {
    await bridge?.stop();
    bridge = undefined;
    events.length = 0;
  });
  afterAll(async () => {
    await client?.endAsync();
    await mosquitto?.dispose();
  });

  it('answers once the referrals are in: a private reason only as away, a question asked twice published once', async () => {
    const phone = scriptedPhone();
    let now = T0;
    bridge = startBridge({
      brokerUrl: mosquitto.url,
      org: ORG,
      phone,
      routing: { switchboard: '9000', ringLimitSeconds: 20 },
      now: () => now,
    });
    await bridge.ready;
    const query: CallQuery = { call: 'c1@pbx', called: '4711', from: '1000', referred: false };
    // subscribed, but the retained burst has not settled: no decision, the PBX rings the desk
    expect(phone.listener().route?.({ ...query, call: 'c0@pbx' })).toBeUndefined();
    // settled once a call to the switchboard itself (never published) gets an answer
    await vi.waitFor(() =>
      expect(phone.listener().route?.({ ...query, call: 'probe', called: '9000' })).toBeDefined(),
    );
    const decision = phone.listener().route?.(query);
    expect(decision).toEqual({ target: '9000', diverted: 'away', note: 'Borta, tillbaka 24/11 08:00' });
    // a retransmission gets the same answer
    expect(phone.listener().route?.(query)).toEqual(decision);
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events[0]).toMatchObject({ event: 'routed', call: 'c0@pbx', to: 'desk', cause: 'fail-open' });
    expect(events[1]).toMatchObject({
      event: 'routed',
      call: 'c1@pbx',
      to: 'switchboard',
      cause: 'referred',
      target: '9000',
      reason: 'away',
      until: '2026-11-24T07:00:00.000Z',
    });

    // an available colleague's desk rings out after 20 s on the bridge's clock
    const desk: CallQuery = { call: 'c2@pbx', called: '4712', referred: false };
    expect(phone.listener().route?.(desk)).toEqual({ target: '4712', ringLimitSeconds: 20 });
    now += 20_000;
    expect(phone.listener().route?.({ ...desk, outcome: 'unanswered' })).toEqual({
      target: '9000',
      diverted: 'no-answer',
    });
    await vi.waitFor(() =>
      expect(events.map((e) => e.event)).toEqual(['routed', 'routed', 'routed', 'unanswered', 'routed']),
    );
    expect(events[3]).toMatchObject({ call: 'c2@pbx', ringSeconds: 20 });
    expect(events[4]).toMatchObject({ to: 'switchboard', cause: 'unanswered' });
  });

  it("Grästorp: a forward to the switchboard's own number, as the organisation's settings name it, is not followed", async () => {
    const org = 'grastorp';
    const grastorp = (refuseForward: boolean) => ({
      v: 1 as const,
      name: 'Grästorps kommun',
      timeZone: 'Europe/Stockholm',
      locale: 'sv' as const,
      workday: { from: '08:00', to: '17:00' },
      onReturn: 'overdue' as const,
      callback: 'next-working-day' as const,
      switchboard: { numbers: ['0514-580 00'], refuseForward },
    });
    const publish = async (m: Parameters<typeof encode>[0]) => {
      const { topic, payload, retain, qos } = encode(m);
      await client.publishAsync(topic, payload, { retain, qos });
    };
    await publish({ kind: 'directory-org', org, body: grastorp(true) });
    // forwarded to the main number as written without its spaces, and to a number only the config refuses
    const forward = (ext: string, to: string, seq: number) =>
      publish({
        kind: 'presence',
        org,
        ext,
        body: { ...sick, seq, reason: 'lunch', alt: { kind: 'forward', to } },
      });
    await forward('4711', '051458000', 2);
    await forward('4713', '77', 3);
    const phone = scriptedPhone();
    bridge = startBridge({
      brokerUrl: mosquitto.url,
      org,
      phone,
      // no refuseForwardTo for the main number: the organisation's setting is enough (the config adds 77)
      routing: { switchboard: '9000', ringLimitSeconds: 20, refuseForwardTo: ['77'] },
    });
    await bridge.ready;
    const ask = (called: string) =>
      phone.listener().route?.({ call: `g-${called}`, called, referred: false });
    await vi.waitFor(() => expect(ask('9000')).toBeDefined());
    expect(ask('4711')).toMatchObject({ target: '9000', diverted: 'away' });
    expect(ask('4713')).toMatchObject({ target: '9000', diverted: 'away' });
    // the organisation no longer refuses it: the forward is followed
    await publish({ kind: 'directory-org', org, body: grastorp(false) });
    await vi.waitFor(() =>
      expect(phone.listener().route?.({ call: 'g-again', called: '4711', referred: false })).toMatchObject({
        target: '051458000',
      }),
    );
    for (const m of [
      { kind: 'directory-org', org },
      { kind: 'presence', org, ext: '4711' },
      { kind: 'presence', org, ext: '4713' },
    ] as const)
      await client.publishAsync(topicFor(m), '', { retain: true, qos: 1 });
  });

  it('without routing settings every call rings the desk it was for, unseen', async () => {
    const phone = scriptedPhone();
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone });
    await bridge.ready;
    expect(phone.listener().route?.({ call: 'c3', called: '4711', referred: false })).toEqual({
      target: '4711',
    });
    expect(events).toEqual([]);
  });
});
