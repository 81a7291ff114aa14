// SIP over TCP and TLS against a real Kamailio (tcp and tls listeners, the tls module with a certificate
// from a throwaway CA, test/support/tls.ts): the bridge's voicemail subscription and its NOTIFYs (sent
// back over the bridge's own connection) and its referrals work as over UDP; over TLS the server's
// certificate is verified: against a CA that did not sign it, or for another name than expected, the
// link stays down, saying why.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import type { PhoneListener, PhoneSystem } from '../../switchboard/phone/port.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { type Kamailio, startKamailio } from '../support/kamailio.js';
import { away } from '../support/presence-fixture.js';
import { presenceOf, publishVoicemail } from '../support/sip-peers.js';
import { makeTestPki, type TestPki } from '../support/tls.js';

const lunch = away as Presence;

describe('SIP over TCP and TLS (real Kamailio)', () => {
  let pki: TestPki;
  let kamailio: Kamailio;
  beforeAll(async () => {
    pki = await makeTestPki();
    kamailio = await startKamailio({ streams: pki.valid });
  }, 60_000);
  afterAll(async () => {
    await kamailio?.dispose();
    await pki?.dispose();
  });

  const open = async (transport: 'tcp' | 'tls', ext: string, caFile: string, servername?: string) => {
    const seen = {
      voicemail: [] as number[],
      links: [] as { up: boolean; detail?: string }[],
      faults: [] as string[],
    };
    const listener: PhoneListener = {
      queue: () => {},
      line: () => {},
      extCall: () => {},
      call: () => {},
      voicemail: (_ext, count) => seen.voicemail.push(count),
      link: (up, detail) => seen.links.push({ up, ...(detail ? { detail } : {}) }),
      fault: (e) => seen.faults.push(e.message),
    };
    const phone: PhoneSystem = createSipPhone({
      server: {
        host: kamailio.host,
        port: (transport === 'tcp' ? kamailio.tcpPort : kamailio.tlsPort) as number,
      },
      transport,
      tls: { ca: readFileSync(caFile), ...(servername ? { servername } : {}) },
      domain: kamailio.domain,
      extensions: [ext],
      localHost: '127.0.0.1',
      keepaliveMs: 500,
      timeoutMs: 1500,
    });
    await phone.open(listener);
    return { phone, seen };
  };

  it.each([
    ['tcp', '2401'],
    ['tls', '2402'],
  ] as const)(
    'over %s: voicemail counts arrive and referrals reach the phones',
    async (transport, ext) => {
      const { phone, seen } = await open(transport, ext, pki.caFile);
      try {
        await vi.waitFor(() => expect(seen.links.at(-1)?.up).toBe(true), 20_000);
        // the subscription's NOTIFYs come back over our connection: the first, then a real count
        await vi.waitFor(() => expect(seen.voicemail).toContain(0), 20_000);
        await publishVoicemail(kamailio, ext, 2);
        await vi.waitFor(() => expect(seen.voicemail.at(-1)).toBe(2), 20_000);
        phone.referralChanged({
          ext,
          presence: lunch,
          label: 'Lunch',
          locale: 'sv',
          timeZone: 'Europe/Stockholm',
        });
        await vi.waitFor(async () => expect(await presenceOf(kamailio, ext)).toContain('Lunch'), 20_000);
        expect(seen.faults).toEqual([]);
      } finally {
        await phone.close();
      }
    },
    60_000,
  );

  it('over tls, a certificate its CA does not vouch for: the link stays down, saying why', async () => {
    const { phone, seen } = await open('tls', '2403', pki.otherCaFile);
    try {
      await vi.waitFor(() => expect(seen.links.at(-1)?.detail).toMatch(/certificate/i), 20_000);
      expect(seen.links.some((l) => l.up)).toBe(false);
      expect(seen.voicemail).toEqual([]);
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('over tls, a certificate for another name than the PBX is expected to carry: the link stays down', async () => {
    const { phone, seen } = await open('tls', '2404', pki.caFile, 'pbx.grastorp.se');
    try {
      await vi.waitFor(() => expect(seen.links.at(-1)?.detail).toMatch(/does not match|altnames/i), 20_000);
      expect(seen.links.some((l) => l.up)).toBe(false);
    } finally {
      await phone.close();
    }
  }, 60_000);
});
