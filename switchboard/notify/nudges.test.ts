// The nudge for staff without a panel (Grästorp/Essunga: "om frånvarotiden inte går att hålla, gör en
// förlängning omedelbart"), through real parts: Mosquitto, the notifier on a manual clock, a real SMTP
// server (aiosmtpd) and a local Web Push service (test/support/push-service.ts: it checks the VAPID JWT
// and decrypts the payload as a browser would; no vendor's push service is reachable from here). Five
// minutes before a lunch ends the person on the staff page gets a push with an extend action, the one
// without page or panel an e-mail with the extend link, the one with a desk nothing (the lamp does it);
// one tap extends by the organisation's step, once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import webpush from 'web-push';
import { EXAMPLES } from '../../protocol/examples.js';
import type { DeviceConfig, Presence } from '../../protocol/index.js';
import { manualClock } from '../../test/support/manual-clock.js';
import { type Mosquitto, startMosquitto } from '../../test/support/mosquitto.js';
import { type PushService, startPushService } from '../../test/support/push-service.js';
import { retainedPresence } from '../../test/support/retained.js';
import {
  mailerFor,
  mailHeader,
  mailText,
  type SmtpServer,
  startSmtpServer,
} from '../../test/support/smtp.js';
import { publishMessage } from '../publish.js';
import { signLink } from './links.js';
import { type Notifier, startNotifier } from './notifier.js';

const ORG = 'essunga';
const SECRET = 'n'.repeat(43);
const SINCE = '2026-05-04T07:05:00.000Z'; // Monday 09:05 in Stockholm
const UNTIL = '2026-05-04T07:50:00.000Z'; // lunch: 09:50
const MIN = 60_000;

const lunch = (ext: string): Presence => ({
  v: 1,
  status: 'away',
  reason: 'lunch',
  since: SINCE,
  until: UNTIL,
  alt: null,
  seq: 1,
  by: { kind: 'operator', id: `op-${ext}` },
  at: SINCE,
});

describe('the nudge for staff without a panel (Mosquitto, aiosmtpd, a local push service)', () => {
  let broker: Mosquitto;
  let smtp: SmtpServer;
  let pushService: PushService;
  let observer: MqttClient;
  let notifier: Notifier;
  let dir: string;
  const clock = manualClock(Date.parse(SINCE) + MIN);
  const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:it@essunga.se' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-nudge-'));
    [broker, smtp, pushService] = await Promise.all([
      startMosquitto(),
      startSmtpServer(),
      startPushService(vapid.publicKey),
    ]);
    observer = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    const person = (ext: string, name: string) =>
      publishMessage(observer, {
        kind: 'directory-person',
        org: ORG,
        ext,
        body: { v: 1, name, department: 'ekonomi', email: `${name.toLowerCase()}@essunga.se` },
      });
    await person('4711', 'Anna'); // the staff page, subscribed to push
    await person('4712', 'Bo'); // neither page nor panel: e-mail
    await person('4713', 'Cecilia'); // a desk: its lamp nudges
    await publishMessage(observer, {
      ...EXAMPLES['device-config'],
      org: ORG,
      deviceId: 'desk-4713',
      body: { ...(EXAMPLES['device-config'].body as DeviceConfig), ext: '4713' },
    });
    for (const ext of ['4711', '4712', '4713'])
      await publishMessage(observer, { kind: 'presence', org: ORG, ext, body: lunch(ext) });
    notifier = startNotifier({
      brokerUrl: broker.url,
      org: ORG,
      mailers: {
        email: mailerFor(smtp, 'vaxeln@essunga.se'),
      },
      stateFile: join(dir, 'state.json'),
      linkSecret: SECRET,
      http: { host: '127.0.0.1', port: 0 },
      clock,
      settleMs: 100,
      vapid,
    });
    await notifier.ready;
  });

  afterAll(async () => {
    await notifier?.stop();
    await observer?.endAsync(true);
    await Promise.all([broker?.dispose(), smtp?.stop(), pushService?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  const subscribe = (
    ext: string,
    subscription: unknown,
    token = signLink(SECRET, { do: 'push', org: ORG, ext, id: 'subscribe', exp: clock.now() + MIN }),
  ) =>
    fetch(new URL('push/subscriptions', notifier.url()), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ t: token, subscription }),
    });

  it('the staff page opts in with a token signed for the person; a bad one changes nothing', async () => {
    const key = (await (await fetch(new URL('push/key', notifier.url()))).json()) as { publicKey: string };
    expect(key.publicKey).toBe(vapid.publicKey);
    expect((await subscribe('4711', pushService.subscribe())).status).toBe(201);
    const forged = signLink('x'.repeat(43), {
      do: 'push',
      org: ORG,
      ext: '4712',
      id: 'subscribe',
      exp: clock.now() + MIN,
    });
    expect((await subscribe('4712', pushService.subscribe(), forged)).status).toBe(400);
    expect(
      (
        await subscribe('4712', {
          endpoint: 'http://10.0.0.1/x',
          keys: { p256dh: 'a'.repeat(40), auth: 'b'.repeat(16) },
        })
      ).status,
    ).toBe(400);
    expect((await subscribe('4712', 'nonsense')).status).toBe(400);
  });

  it("answers the staff page from the board's origin (CORS): the preflight, the subscription, the extend", async () => {
    const preflight = await fetch(new URL('push/subscriptions', notifier.url()), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://hanvisa.essunga.se',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const refused = await subscribe('4712', 'nonsense');
    // the page reads why, also when refused
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    const extend = await fetch(new URL('extend', notifier.url()), {
      method: 'POST',
      body: new URLSearchParams({ t: 'forged' }),
    });
    expect(extend.status).toBe(403);
    expect(extend.headers.get('access-control-allow-origin')).toBe('*');
    // the pages a link opens stay the notifier's own
    expect(
      (await fetch(new URL('handled?t=x', notifier.url()))).headers.get('access-control-allow-origin'),
    ).toBe(null);
  });

  it('five minutes before the return time: a push, an e-mail, or the desk lamp; one tap extends by the step, once', async () => {
    await vi.waitFor(() => expect(clock.pending()).toBeGreaterThanOrEqual(2));
    clock.advance(39 * MIN - 1);
    expect(pushService.received).toHaveLength(0);
    clock.advance(1);
    await vi.waitFor(() => expect(pushService.received).toHaveLength(1));
    expect(pushService.refused).toEqual([]);
    const { payload, ttl } = pushService.received[0] as {
      payload: { title: string; body: string; extend: { url: string; t: string; label: string } };
      ttl: number;
    };
    expect(payload.title).toBe('Din hänvisning går ut 09:50');
    expect(payload.body).toContain('Lunch');
    expect(payload.extend.label).toBe('Förläng 15 min');
    // kept by the push service until the return time at most
    expect(ttl).toBe(5 * 60);

    const mail = await smtp.nth(1);
    expect(mailHeader(mail, 'X-Rcpt')).toBe('bo@essunga.se');
    expect(mailText(mail)).toMatch(/går ut 09:50\. Hinner du inte tillbaka\? Förläng med 15 minuter:/);
    expect((await smtp.messages()).map((m) => mailHeader(m, 'X-Rcpt'))).not.toContain('cecilia@essunga.se');

    // the tap: the service worker POSTs the token (docs/notify.md)
    const tap = () =>
      fetch(payload.extend.url, { method: 'POST', body: new URLSearchParams({ t: payload.extend.t }) });
    expect((await tap()).status).toBe(200);
    await vi.waitFor(async () =>
      expect(await retainedPresence(broker.url, { org: ORG, ext: '4711' })).toMatchObject({
        reason: 'lunch',
        until: '2026-05-04T08:05:00.000Z',
        since: SINCE,
        seq: 2,
        by: { kind: 'switchboard', id: 'notify' },
      }),
    );
    expect((await tap()).status).toBe(409);

    // the e-mail's link opens a page that asks first, then extends Bo's lunch the same way
    const link = /^http:\/\/\S+\/extend\?t=\S+$/m.exec(mailText(mail))?.[0] as string;
    expect(await (await fetch(link)).text()).toContain('Förläng din hänvisning med 15 minuter?');
    const t = new URL(link).searchParams.get('t') as string;
    expect(
      (await fetch(new URL('extend', notifier.url()), { method: 'POST', body: new URLSearchParams({ t }) }))
        .status,
    ).toBe(200);
    await vi.waitFor(async () =>
      expect((await retainedPresence(broker.url, { org: ORG, ext: '4712' }))?.until).toBe(
        '2026-05-04T08:05:00.000Z',
      ),
    );

    // the extended lunch is a referral of its own: nudged again five minutes before 10:05
    await vi.waitFor(() => expect(clock.pending()).toBeGreaterThanOrEqual(1));
    clock.advance(15 * MIN);
    await vi.waitFor(() => expect(pushService.received).toHaveLength(2));
    expect(pushService.received[1]?.payload).toMatchObject({ title: 'Din hänvisning går ut 10:05' });
  });
});
