// A local stand-in for a 46elks-style SMS gateway (POST /a1/sms, form-encoded, HTTP basic auth), for
// tests: it checks the request as 46elks does and answers with responses written from 46elks' API
// documentation (https://46elks.com/docs/send-sms), not captured from the live service, which cannot be
// reached from here. `answer` swaps in another status for the next requests (a gateway that is down,
// a number it refuses).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentSms {
  from: string;
  to: string;
  message: string;
}

export interface SmsGatewayStub {
  url: string;
  sent: SentSms[];
  /** from now on answer with this status and body (200: the documented "created" response) */
  answer(status: number, body?: string): void;
  close(): Promise<void>;
}

export const ELKS_CREATED = (sms: SentSms) =>
  JSON.stringify({
    status: 'created',
    direction: 'outgoing',
    from: sms.from,
    created: '2026-12-07T10:12:13.115000',
    parts: 1,
    to: sms.to,
    cost: 5200,
    message: sms.message,
    id: 's17a6dafb12d6b1cabc053d57dac2b9d8',
  });

export async function startSmsGateway(username: string, password: string): Promise<SmsGatewayStub> {
  const sent: SentSms[] = [];
  let status = 200;
  let body: string | undefined;
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => {
      text += d;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/a1/sms') return void res.writeHead(404).end('Not Found');
      if (req.headers.authorization !== expected)
        return void res.writeHead(401).end('API access requires Basic HTTP authentication');
      const form = new URLSearchParams(text);
      const sms = {
        from: form.get('from') ?? '',
        to: form.get('to') ?? '',
        message: form.get('message') ?? '',
      };
      if (!sms.from || !sms.to || !sms.message) return void res.writeHead(403).end('Missing key to');
      if (status !== 200) return void res.writeHead(status).end(body ?? 'Service unavailable');
      sent.push(sms);
      res.writeHead(200, { 'content-type': 'application/json' }).end(ELKS_CREATED(sms));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    answer(s, b) {
      status = s;
      body = b;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
