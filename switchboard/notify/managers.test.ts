// Managers told (Högsby; SAMSA §4.3/§6), through real parts: Mosquitto, the notifier on a manual clock,
// aiosmtpd and the local 46elks stand-in (its responses written from 46elks' documentation). When the
// whole department is away in phone hours its manager gets an e-mail and the on-call person an SMS,
// once per episode: not again while it lasts (nor after a restart), again for the next one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import { manualClock } from '../../test/support/manual-clock.js';
import { type Mosquitto, startMosquitto } from '../../test/support/mosquitto.js';
import { type SmsGatewayStub, startSmsGateway } from '../../test/support/sms-gateway.js';
import {
  mailerFor,
  mailHeader,
  mailText,
  type SmtpServer,
  startSmtpServer,
} from '../../test/support/smtp.js';
import { publishMessage } from '../publish.js';
import { type Notifier, startNotifier } from './notifier.js';
import { smsGateway } from './sms-gateway.js';

const ORG = 'hogsby';
const MIN = 60_000;
const MONDAY_0905 = Date.parse('2026-05-04T07:05:00.000Z');

describe('managers told when a department is left unstaffed (Mosquitto, aiosmtpd, 46elks stand-in)', () => {
  let broker: Mosquitto;
  let smtp: SmtpServer;
  let sms: SmsGatewayStub;
  let observer: MqttClient;
  let dir: string;
  const clock = manualClock(MONDAY_0905);
  const seq = new Map<string, number>();

  const refer = (ext: string, away: boolean) => {
    const n = (seq.get(ext) ?? 0) + 1;
    seq.set(ext, n);
    const at = new Date(clock.now()).toISOString();
    const body: Presence = away
      ? {
          v: 1,
          status: 'away',
          reason: 'meeting',
          since: at,
          until: null,
          alt: null,
          seq: n,
          by: { kind: 'desk', id: `d${ext}` },
          at,
        }
      : {
          v: 1,
          status: 'available',
          reason: null,
          since: at,
          until: null,
          alt: null,
          seq: n,
          by: { kind: 'desk', id: `d${ext}` },
          at,
        };
    return publishMessage(observer, { kind: 'presence', org: ORG, ext, body });
  };

  const start = (): Notifier =>
    startNotifier({
      brokerUrl: broker.url,
      org: ORG,
      mailers: {
        email: mailerFor(smtp, 'vaxeln@hogsby.se'),
        sms: smsGateway({ url: sms.url, username: 'u', password: 'p', from: 'Hogsby' }),
      },
      stateFile: join(dir, 'state.json'),
      linkSecret: 'm'.repeat(43),
      http: { host: '127.0.0.1', port: 0 },
      clock,
      settleMs: 100,
      managers: { bygg: [{ ext: '4700' }, { name: 'Jouren', mobile: '+46491000000' }] },
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-managers-'));
    [broker, smtp, sms] = await Promise.all([startMosquitto(), startSmtpServer(), startSmsGateway('u', 'p')]);
    observer = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    await publishMessage(observer, {
      kind: 'directory-department',
      org: ORG,
      departmentId: 'bygg',
      body: {
        v: 1,
        name: 'Bygglov',
        phoneHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }],
        mustAnswer: false,
      },
    });
    for (const [ext, name, department] of [
      ['4700', 'Maria Chef', 'ledning'],
      ['4721', 'Per', 'bygg'],
      ['4722', 'Lena', 'bygg'],
    ] as const)
      await publishMessage(observer, {
        kind: 'directory-person',
        org: ORG,
        ext,
        body: { v: 1, name, department, email: `${name.split(' ')[0]?.toLowerCase()}@hogsby.se` },
      });
    await refer('4721', false);
    await refer('4722', true);
  });

  afterAll(async () => {
    await observer?.endAsync(true);
    await Promise.all([broker?.dispose(), smtp?.stop(), sms?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('tells the manager and on-call once per episode, in phone hours only', async () => {
    let notifier = start();
    try {
      await notifier.ready;
      // settled and ticking: one timer for the minute
      await vi.waitFor(() => expect(clock.pending()).toBe(1));
      expect(await smtp.messages()).toHaveLength(0);

      await refer('4721', true);
      const mail = await smtp.nth(1);
      expect(mailHeader(mail, 'X-Rcpt')).toBe('maria@hogsby.se');
      expect(mailText(mail)).toContain('Alla på Bygglov är hänvisade sedan 09:05, under telefontid.');
      await vi.waitFor(() => expect(sms.sent).toHaveLength(1));
      expect(sms.sent[0]).toMatchObject({ to: '+46491000000', from: 'Hogsby' });
      expect(sms.sent[0]?.message).toContain('Alla på Bygglov är hänvisade');

      // the same episode: another change while everyone is still away, the minutes passing, a restart
      await refer('4722', true);
      clock.advance(10 * MIN);
      await notifier.stop();
      notifier = start();
      await notifier.ready;
      await vi.waitFor(() => expect(clock.pending()).toBe(1));
      clock.advance(MIN);

      // someone back ends it; everyone away again is a new episode
      await refer('4721', false);
      await refer('4721', true);
      await smtp.nth(2);
      await vi.waitFor(() => expect(sms.sent).toHaveLength(2));

      // phone hours end at 16:00: the episode ends with them, and after hours nobody is told
      clock.advance(7 * 60 * MIN);
      await refer('4721', false);
      await refer('4721', true);
      clock.advance(MIN);
      // a marker mail through the same server: had the notifier told anyone, it would be before this one
      await mailerFor(smtp, 'x@y.se').send({
        to: 'marker@hogsby.se',
        subject: 'marker',
        text: 'marker',
      });
      const all = await smtp.messages();
      expect(all.map((m) => mailHeader(m, 'X-Rcpt'))).toEqual([
        'maria@hogsby.se',
        'maria@hogsby.se',
        'marker@hogsby.se',
      ]);
      expect(sms.sent).toHaveLength(2);
    } finally {
      await notifier.stop();
    }
  });
});
