// SMS through a 46elks-style HTTP gateway: POST {url}/a1/sms, form-encoded from, to and message, with
// HTTP basic auth (46elks' own API; Swedish municipalities' SMS suppliers offer the same shape).
import { DeliveryError, type Letter, type Mailer } from './mailer.js';

export interface SmsSettings {
  /** the gateway's base address, https://api.46elks.com */
  url: string;
  username: string;
  password: string;
  /** the sender shown: a name of up to 11 characters or a number */
  from: string;
  timeoutMs?: number;
}

export function smsGateway(settings: SmsSettings): Mailer {
  const endpoint = new URL('a1/sms', settings.url.endsWith('/') ? settings.url : `${settings.url}/`);
  const auth = `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`;
  return {
    channel: 'sms',
    label: `sms ${endpoint.host}`,
    async send(letter: Letter) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ from: settings.from, to: letter.to, message: letter.text }),
          signal: AbortSignal.timeout(settings.timeoutMs ?? 15_000),
        });
      } catch (e) {
        throw new DeliveryError(`sms gateway unreachable: ${(e as Error).message}`, false);
      }
      await res.body?.cancel();
      if (res.ok) return;
      // 4xx is our request (wrong number, wrong password, no credit): the same next time; 429 and 5xx pass
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 429;
      throw new DeliveryError(`sms gateway ${res.status}`, permanent);
    },
    async close() {},
  };
}
