// The SMS adapter against a local stand-in for 46elks (test/support/sms-gateway.ts: its responses are
// written from 46elks' documentation, no SMS service is reachable from here): the request's shape, and
// which refusals are retried (503, 429) and which fail for good (401, 403: our request is wrong).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmsGatewayStub, startSmsGateway } from '../../test/support/sms-gateway.js';
import { DeliveryError } from './mailer.js';
import { smsGateway } from './sms-gateway.js';

describe('SMS through a 46elks-style gateway', () => {
  let stub: SmsGatewayStub;
  beforeAll(async () => {
    stub = await startSmsGateway('u123', 'secret');
  });
  afterAll(() => stub.close());

  const letter = { to: '+46701234567', subject: '', text: 'Telefonmeddelande: Karin Lund.' };

  it('posts from, to and message with basic auth', async () => {
    stub.answer(200);
    await smsGateway({ url: stub.url, username: 'u123', password: 'secret', from: 'Grastorp' }).send(letter);
    expect(stub.sent.at(-1)).toEqual({ from: 'Grastorp', to: '+46701234567', message: letter.text });
  });

  it.each([
    [503, false],
    [429, false],
    [403, true],
  ])('a %i is a DeliveryError, permanent: %s', async (status, permanent) => {
    stub.answer(status, 'Invalid to number');
    const sending = smsGateway({
      url: stub.url,
      username: 'u123',
      password: 'secret',
      from: 'Grastorp',
    }).send(letter);
    await expect(sending).rejects.toBeInstanceOf(DeliveryError);
    await expect(sending).rejects.toMatchObject({ permanent, message: `sms gateway ${status}` });
  });

  it('a wrong password fails for good; an unreachable gateway is retried', async () => {
    stub.answer(200);
    await expect(
      smsGateway({ url: stub.url, username: 'u123', password: 'wrong', from: 'G' }).send(letter),
    ).rejects.toMatchObject({ permanent: true, message: 'sms gateway 401' });
    await expect(
      smsGateway({
        url: 'http://127.0.0.1:1',
        username: 'u',
        password: 'p',
        from: 'G',
        timeoutMs: 2000,
      }).send(letter),
    ).rejects.toMatchObject({ permanent: false });
  });
});
