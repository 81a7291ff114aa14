// Issue 23: the switchboard's open/closed/lunch state through a real Mosquitto. The settings publisher
// (`hanvisa org`) publishes switchboard-service retained and again at each boundary (a fake clock
// moves time); the phone bridge hands each change to its phone system: the simulator goes into night
// service (no queue fills), the webhook adapter POSTs a signed `service` event.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../log/logger.js';
import { decode, type OrgInfo, type SwitchboardService, topicFor } from '../../protocol/index.js';
import type { Clock } from '../../rules/clock.js';
import { type OrgPublisher, startOrgPublisher } from '../../switchboard/org/publisher.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createOutbound } from '../../switchboard/phone/webhook/outbound.js';
import { OutboundService } from '../../switchboard/phone/webhook/schemas.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../../switchboard/phone/webhook/signature.js';
import { createSimulatedPhone } from '../../switchboard/simulator/simulated-phone.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORG = 'arjeplog';
// Monday 23 November 2026, 11:59 in Stockholm (UTC+1)
const T0 = Date.parse('2026-11-23T10:59:00.000Z');
const SETTINGS: OrgInfo = {
  v: 1,
  name: 'Arjeplogs kommun',
  timeZone: 'Europe/Stockholm',
  locale: 'sv',
  workday: { from: '08:00', to: '17:00' },
  onReturn: 'overdue',
  callback: 'next-working-day',
  switchboardHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:30' }],
  lunchClosure: { from: '12:00', to: '13:00' },
};

/** A clock the test moves: timers fire when `advance` passes their time. */
function manualClock(start: number): Clock & { advance(to: number): void; pending(): number } {
  let now = start;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 0;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      timers.set(++next, { at: now + ms, fn });
      return next;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    advance(to) {
      now = to;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at))
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
    },
    pending: () => timers.size,
  };
}

describe('switchboard-service: open, lunch, closed (night service)', () => {
  let mosquitto: Mosquitto;
  let observer: MqttClient;
  let publisher: OrgPublisher | undefined;
  let bridge: Bridge | undefined;
  const heard: (SwitchboardService | null)[] = [];

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4, reconnectPeriod: 0 });
    observer.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok && r.message.kind === 'switchboard-service') heard.push(r.message.body);
    });
    await observer.subscribeAsync(topicFor({ kind: 'switchboard-service', org: ORG }), { qos: 1 });
  });
  afterAll(async () => {
    await bridge?.stop();
    await publisher?.stop();
    await observer?.endAsync(true);
    await mosquitto?.dispose();
  });

  it('publishes the state at each boundary; the simulator follows it into night service at lunch', async () => {
    const clock = manualClock(T0);
    publisher = startOrgPublisher({ brokerUrl: mosquitto.url, org: ORG, info: SETTINGS, clock });
    await publisher.ready;
    await vi.waitFor(() =>
      expect(heard.at(-1)).toEqual({
        v: 1,
        state: 'open',
        since: '2026-11-23T07:00:00.000Z',
        until: '2026-11-23T11:00:00.000Z',
      }),
    );
    // one timer, at the next boundary
    expect(clock.pending()).toBe(1);

    const phoneClock = manualClock(T0); // the simulator's traffic stands still: only its service state moves
    const phone = createSimulatedPhone({ org: ORG, seed: 1, clock: phoneClock });
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone, now: clock.now });
    await bridge.ready;
    await vi.waitFor(() => expect(phone.service()?.state).toBe('open'));

    clock.advance(Date.parse('2026-11-23T11:00:00.000Z'));
    await vi.waitFor(() =>
      expect(heard.at(-1)).toMatchObject({ state: 'lunch', until: '2026-11-23T12:00:00.000Z' }),
    );
    await vi.waitFor(() => expect(phone.service()?.state).toBe('lunch'));
    clock.advance(Date.parse('2026-11-23T12:00:00.000Z'));
    await vi.waitFor(() =>
      expect(phone.service()).toMatchObject({ state: 'open', until: '2026-11-23T15:30:00.000Z' }),
    );
    clock.advance(Date.parse('2026-11-23T15:30:00.000Z'));
    await vi.waitFor(() =>
      expect(phone.service()).toMatchObject({ state: 'closed', until: '2026-11-24T07:00:00.000Z' }),
    );

    // without switchboard hours the state is cleared (the PBX keeps its own rules), and no timer is left
    const { switchboardHours: _, lunchClosure: __, ...without } = SETTINGS;
    await publisher.update(without);
    await vi.waitFor(() => expect(heard.at(-1)).toBeNull());
    expect(clock.pending()).toBe(0);
  });

  it('the webhook adapter sends the state as a signed service event', async () => {
    const received: { body: string; signature: string | undefined; timestamp: string | undefined }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({
          body,
          signature: req.headers[SIGNATURE_HEADER] as string | undefined,
          timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const outbound = createOutbound({
      url: `http://127.0.0.1:${port}/hook`,
      secret: 's3cret-s3cret-s3cret',
      org: ORG,
      log: createLogger('test-outbound'),
      now: () => T0,
    });
    outbound.sendService({
      v: 1,
      state: 'closed',
      since: '2026-11-23T15:30:00.000Z',
      until: '2026-11-24T07:00:00.000Z',
    });
    await vi.waitFor(() => expect(received).toHaveLength(1));
    const [got] = received;
    if (!got) throw new Error('nothing received');
    expect(OutboundService.parse(JSON.parse(got.body))).toMatchObject({
      type: 'service',
      org: ORG,
      state: 'closed',
    });
    expect(verify('s3cret-s3cret-s3cret', got, got.body, T0, 300)).toEqual({ ok: true });
    outbound.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
