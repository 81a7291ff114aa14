// SIP digest authentication of the bridge against a real Kamailio with auth and auth_db on (a db_text
// subscriber table; qop=auth, nonce_count checking; MD5 and, RFC 8760, SHA-256): every PUBLISH and
// SUBSCRIBE is challenged with 407, answered, and later requests reuse the nonce with a rising nc
// instead of being challenged each time. A wrong password publishes nothing and says so as a fault.
import { afterEach, describe, expect, it, onTestFailed, vi } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import type { PhoneListener, PhoneSystem } from '../../switchboard/phone/port.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { header, parseMessage } from '../../switchboard/phone/sip/message.js';
import { type Kamailio, startKamailio } from '../support/kamailio.js';
import { away } from '../support/presence-fixture.js';
import { presenceOf } from '../support/sip-peers.js';
import { startUdpWire, type UdpWire } from '../support/udp-wire.js';

const EXT = '2301';
const lunch = away as Presence;
const referral = (seq: number) => ({
  ext: EXT,
  presence: { ...lunch, seq },
  label: `Lunch ${seq}`,
  locale: 'sv' as const,
  timeZone: 'Europe/Stockholm',
});

describe.each(['MD5', 'SHA-256'] as const)('SIP digest authentication (%s) against Kamailio', (algorithm) => {
  let kamailio: Kamailio | undefined;
  let wire: UdpWire | undefined;
  let phone: PhoneSystem | undefined;
  afterEach(async () => {
    await phone?.close();
    await wire?.close();
    await kamailio?.dispose();
  });

  const run = async (password: string, username = 'hanvisa') => {
    // a refusal says what Kamailio answered and why
    onTestFailed(() => {
      console.log(
        (wire as UdpWire | undefined)?.sent
          .filter((t) => t.startsWith('PUBLISH'))
          .slice(-3)
          .join('\n---\n'),
      );
      console.log(
        kamailio
          ?.log()
          .split('\n')
          .filter((l) => /ERROR|WARN|auth/i.test(l))
          .slice(-20)
          .join('\n'),
      );
    });
    kamailio = await startKamailio({
      auth: {
        username: 'hanvisa',
        password: 's3cret',
        algorithm,
        phones: [{ username: '4711', password: 'desk' }],
      },
    });
    wire = await startUdpWire(kamailio);
    const seen = { voicemail: [] as number[], faults: [] as string[], up: false };
    const listener: PhoneListener = {
      queue: () => {},
      line: () => {},
      extCall: () => {},
      call: () => {},
      voicemail: (_ext, count) => seen.voicemail.push(count),
      link: (up) => {
        seen.up = up;
      },
      fault: (e) => seen.faults.push(e.message),
    };
    phone = createSipPhone({
      server: { host: wire.host, port: wire.port },
      domain: kamailio.domain,
      extensions: [EXT],
      localHost: '127.0.0.1',
      keepaliveMs: 500,
      timeoutMs: 1500,
      credentials: { username, password },
    });
    await phone.open(listener);
    await vi.waitFor(() => expect(seen.up).toBe(true), 20_000);
    return seen;
  };

  it('answers the challenges: the voicemail subscription and the referrals go through, the nonce reused', async () => {
    const seen = await run('s3cret');
    const k = kamailio as Kamailio;
    // the subscription's first NOTIFY: the SUBSCRIBE was taken
    await vi.waitFor(() => expect(seen.voicemail).toEqual([0]), 20_000);
    for (const seq of [1, 2, 3]) {
      phone?.referralChanged(referral(seq));
      await vi.waitFor(async () => expect(await presenceOf(k, EXT)).toContain(`Lunch ${seq}`), 20_000);
    }
    const requests = (wire as UdpWire).sent
      .map((t) => parseMessage(t))
      .filter((m) => m.kind === 'request' && m.method !== 'OPTIONS');
    const answered = requests.map((m) => header(m, 'proxy-authorization')).filter((a) => a !== undefined);
    expect(answered.every((a) => a.includes(`algorithm=${algorithm}`) && a.includes('qop=auth'))).toBe(true);
    // challenged once (the first requests, sent together, before any challenge came back), then the
    // nonce reused with a rising nc
    expect(requests.length - answered.length).toBeLessThanOrEqual(2);
    expect(answered.some((a) => /nc=0000000[3-9]/.test(a))).toBe(true);
    expect(seen.faults).toEqual([]);
  }, 60_000);

  it("a desk phone's account speaks for itself only: a referral for another extension is refused", async () => {
    // Högsby: "förse din telefon med lösenkod/pinkod": a phone's own credentials guard its own line only
    const seen = await run('desk', '4711');
    phone?.referralChanged(referral(1));
    await vi.waitFor(() => expect(seen.faults.join('\n')).toMatch(/PUBLISH 2301: 407/), 20_000);
    expect(await presenceOf(kamailio as Kamailio, EXT)).not.toContain('Lunch');
  }, 60_000);

  it('a wrong password publishes nothing and is reported', async () => {
    const seen = await run('wrong');
    phone?.referralChanged(referral(1));
    await vi.waitFor(() => expect(seen.faults.join('\n')).toMatch(/PUBLISH 2301: 407/), 20_000);
    expect(await presenceOf(kamailio as Kamailio, EXT)).not.toContain('Lunch');
    expect(seen.voicemail).toEqual([]);
  }, 60_000);
});
