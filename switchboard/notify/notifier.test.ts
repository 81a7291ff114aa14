// Phone messages reach their person (SAMSA §5, Guldborgsund "via telefonen, sms eller via e-post"),
// through real parts: Mosquitto, the operators' board (in process, open access), a real SMTP server
// (aiosmtpd) and the notifier. The operator takes a message on the board; the person's mail arrives
// with who called, the number, the text, the callback deadline and the link; the link's button marks
// it handled once, the board clears it; an SMTP server that refuses for a while is retried on the
// notifier's clock (a manual one) and the board is told "retrying", also across a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../log/logger.js';
import { decode, type MwiDelivery, topicFor } from '../../protocol/index.js';
import { manualClock } from '../../test/support/manual-clock.js';
import { type Mosquitto, startMosquitto } from '../../test/support/mosquitto.js';
import { type OpenOperator, openOperator } from '../../test/support/open-operator.js';
import { type SmsGatewayStub, startSmsGateway } from '../../test/support/sms-gateway.js';
import {
  mailerFor,
  mailHeader,
  mailText,
  type SmtpServer,
  startSmtpServer,
} from '../../test/support/smtp.js';
import { type Board, startBoard } from '../board/server.js';
import { publishMessage } from '../publish.js';
import { type Notifier, startNotifier } from './notifier.js';
import { smsGateway } from './sms-gateway.js';

const ORG = 'grastorp';
const EXT = '4711';
const SECRET = 'k'.repeat(43);
const TEXT = 'Ring tillbaka om bygglovet på Storgatan 12';

describe('the notifier delivers phone messages (Mosquitto, board, aiosmtpd)', () => {
  let broker: Mosquitto;
  let smtp: SmtpServer;
  let sms: SmsGatewayStub;
  let board: Board;
  let operator: OpenOperator;
  let observer: MqttClient;
  let dir: string;
  const deliveries = new Map<string, MwiDelivery | null>();
  const handled: string[] = [];
  const logLines: string[] = [];
  const clock = manualClock(Date.now());

  const start = () => {
    // every line the notifier logs, at the most talkative level, to check no message text is in one
    const previous = process.env.HANVISA_LOG;
    process.env.HANVISA_LOG = 'debug';
    const log = createLogger('notify', (line) => void logLines.push(line));
    process.env.HANVISA_LOG = previous;
    return startNotifier({
      brokerUrl: broker.url,
      org: ORG,
      mailers: {
        email: mailerFor(smtp, 'vaxeln@grastorp.se'),
        sms: smsGateway({ url: sms.url, username: 'u-grastorp', password: 'elks-secret', from: 'Grastorp' }),
      },
      stateFile: join(dir, 'notify.json'),
      linkSecret: SECRET,
      http: { host: '127.0.0.1', port: 0 },
      retry: { firstMs: 60_000, maxMs: 600_000, attempts: 5 },
      clock,
      settleMs: 100,
      log,
    });
  };

  const take = async (text: string): Promise<string> => {
    const res = await operator.post(`/api/messages/${ORG}/${EXT}`, {
      from: 'Karin Lund',
      number: '0514-58000',
      text,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { message: { id: string } }).message.id;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-notify-'));
    [broker, smtp, sms] = await Promise.all([
      startMosquitto(),
      startSmtpServer(),
      startSmsGateway('u-grastorp', 'elks-secret'),
    ]);
    observer = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok && r.message.kind === 'mwi-delivery') deliveries.set(r.message.messageId, r.message.body);
      if (r.ok && r.message.kind === 'mwi-handled') handled.push(r.message.body.id);
    });
    await observer.subscribeAsync([`hanvisa/v1/${ORG}/mwi/+/delivery/+`, `hanvisa/v1/${ORG}/mwi/+/handled`], {
      qos: 1,
    });
    await publishMessage(observer, {
      kind: 'directory-person',
      org: ORG,
      ext: EXT,
      body: {
        v: 1,
        name: 'Anna Ek',
        department: 'bygg',
        email: 'anna.ek@grastorp.se',
        mobile: '+46701234567',
      },
    });
    board = await startBoard({ brokerUrl: broker.url, port: 0, orgs: [ORG] });
    operator = await openOperator(board.url);
  });

  afterAll(async () => {
    await observer?.endAsync(true);
    await board?.close();
    await Promise.all([broker?.dispose(), smtp?.stop(), sms?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('mails the message with its facts and a link that marks it handled once; no text in the log', async () => {
    const notifier = start();
    try {
      await notifier.ready;
      const id = await take(TEXT);
      const mail = await smtp.nth(1).catch((e) => {
        throw new Error(`${e}\n${logLines.join('')}`);
      });
      expect(mailHeader(mail, 'X-Rcpt')).toBe('anna.ek@grastorp.se');
      const text = mailText(mail);
      expect(text).toContain('Hej Anna Ek,');
      expect(text).toContain('Karin Lund (0514-58000) har sökt dig');
      expect(text).toContain(TEXT);
      // Högsby, the default policy: no later than the next working day, in Swedish
      expect(text).toMatch(/Ring tillbaka senast \S+dag \d+ \S+ kl\. 17:00\./);
      await vi.waitFor(() => expect(deliveries.get(id)?.email).toMatchObject({ state: 'sent', attempts: 1 }));
      // and by SMS, where the organisation has a gateway and the person a mobile number
      await vi.waitFor(() => expect(deliveries.get(id)?.sms).toMatchObject({ state: 'sent', attempts: 1 }));
      const sent = sms.sent.at(-1);
      expect(sent?.to).toBe('+46701234567');
      expect(sent?.message).toContain('Karin Lund (0514-58000)');
      expect(sent?.message).toContain(TEXT);
      expect(sent?.message).toMatch(/\/handled\?t=/);

      const link = /^http:\/\/\S+\/handled\?t=\S+$/m.exec(text)?.[0];
      expect(link).toBeDefined();
      // the GET only asks (mail scanners open every link); the button's POST does it
      const asked = await fetch(link as string);
      expect(asked.status).toBe(200);
      expect(await asked.text()).toContain('Markera telefonmeddelandet från Karin Lund som hanterat?');
      expect(handled).not.toContain(id);
      const token = new URL(link as string).searchParams.get('t') as string;
      const press = () =>
        fetch(new URL('handled', notifier.url()), {
          method: 'POST',
          body: new URLSearchParams({ t: token }),
        });
      const first = await press();
      expect(first.status).toBe(200);
      expect(await first.text()).toContain('Klart.');
      // the board hears the same event a desk key sends and clears the message; the status goes with it
      await vi.waitFor(() => expect(handled).toContain(id));
      await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.messages).toBe(0));
      await vi.waitFor(() => expect(deliveries.get(id)).toBeNull());
      // once
      const again = await press();
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('redan använd');
      // a link signed with another secret, or for another org, is refused and changes nothing
      const forged = await fetch(new URL(`handled?t=${token.slice(0, -2)}xx`, notifier.url()));
      expect(forged.status).toBe(403);
    } finally {
      await notifier.stop();
    }
    const log = logLines.join('');
    expect(log).toContain('phone message delivered');
    expect(log).not.toContain('bygglovet');
    expect(log).not.toContain('anna.ek@');
    expect(log).not.toContain('46701234567');
  });

  it('retries while the SMTP server refuses, tells the board, and resumes after a restart', async () => {
    await smtp.refuse(true);
    const before = (await smtp.messages()).length;
    let notifier: Notifier = start();
    await notifier.ready;
    const id = await take('Om fakturan');
    await vi.waitFor(() =>
      expect(deliveries.get(id)?.email).toMatchObject({ state: 'retrying', attempts: 1 }),
    );
    // the board counts it as not delivered in the person's row ("ej levererade")
    await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.undelivered).toBe(1));
    const next = Date.parse(deliveries.get(id)?.email?.next ?? '');
    expect(next - clock.now()).toBe(60_000);
    // a restart while it waits: the state file remembers the attempt, nothing is sent twice
    await notifier.stop();
    notifier = start();
    try {
      await notifier.ready;
      clock.advance(60_000);
      await vi.waitFor(() =>
        expect(deliveries.get(id)?.email).toMatchObject({ state: 'retrying', attempts: 2 }),
      );
      expect(Date.parse(deliveries.get(id)?.email?.next ?? '') - clock.now()).toBe(120_000);
      await smtp.refuse(false);
      clock.advance(120_000);
      await vi.waitFor(() => expect(deliveries.get(id)?.email).toMatchObject({ state: 'sent', attempts: 3 }));
      await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.undelivered).toBe(0));
      const mails = await smtp.messages();
      expect(mails).toHaveLength(before + 1);
      expect(mailText(mails.at(-1) as string)).toContain('Om fakturan');
    } finally {
      await notifier.stop();
    }
  });

  it('gives up at once on a permanent refusal (550): "failed" for the board', async () => {
    await smtp.reject(true);
    const notifier = start();
    try {
      await notifier.ready;
      const id = await take('Om bygget');
      await vi.waitFor(() =>
        expect(deliveries.get(id)?.email).toMatchObject({ state: 'failed', attempts: 1 }),
      );
      expect(deliveries.get(id)?.email?.next).toBeUndefined();
    } finally {
      await smtp.reject(false);
      await notifier.stop();
    }
  });
});

describe('delivery status topic', () => {
  it('is its own retained topic beside the message', () => {
    expect(topicFor({ kind: 'mwi-delivery', org: ORG, ext: EXT, messageId: 'm1' })).toBe(
      `hanvisa/v1/${ORG}/mwi/${EXT}/delivery/m1`,
    );
  });
});
