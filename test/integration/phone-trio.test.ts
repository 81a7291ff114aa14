// The Trio Enterprise adapter against a local HTTP server that answers as the assumed Trio referral API
// (switchboard/phone/trio/api.ts): no Trio server can run here and no public description of its API
// was found, so the server keeps each subscriber's referral and answers with the shapes hanvisa assumes
// (docs/phone.md says so). Real HTTP, the adapter's own requests: writes on away, deletes on reopen,
// reads back, retries a Trio that fails, reports one that keeps something else or refuses the token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import type { PhoneListener, PhoneSystem, Referral } from '../../switchboard/phone/port.js';
import { createTrioPhone } from '../../switchboard/phone/trio/adapter.js';
import { freePort } from '../support/mosquitto.js';
import { away } from '../support/presence-fixture.js';

const TOKEN = 'trio-token';
const lunch = away as Presence;
const referral = (ext: string, presence: Presence, extra: Partial<Referral> = {}): Referral => ({
  ext,
  presence,
  label: 'Lunch',
  locale: 'sv',
  timeZone: 'Europe/Stockholm',
  ...extra,
});

describe('Trio Enterprise adapter (a local server answering as the assumed API)', () => {
  let server: Server;
  let url: string;
  /** subscriber → the referral Trio keeps */
  const kept = new Map<string, Record<string, unknown>>();
  const requests: string[] = [];
  /** how many of the next writes fail with 503 */
  let failNext = 0;
  /** Trio keeps at most this much text (as a system with a shorter field would) */
  let textLimit = 1000;
  let phone: PhoneSystem;
  const seen = { links: [] as boolean[], faults: [] as string[] };
  const listener: PhoneListener = {
    queue: () => {},
    line: () => {},
    extCall: () => {},
    call: () => {},
    voicemail: () => {},
    link: (up) => seen.links.push(up),
    fault: (e) => seen.faults.push(e.message),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        requests.push(`${req.method} ${req.url}`);
        const ext = /^\/api\/v1\/subscribers\/(\d+)\/referral$/.exec(req.url ?? '')?.[1];
        const json = (status: number, value?: unknown) => {
          res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
          res.end(value === undefined ? undefined : JSON.stringify(value));
        };
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: 'unauthorized' });
        if (!ext) return json(404, { error: 'no such subscriber' });
        if (req.method !== 'GET' && failNext > 0) {
          failNext--;
          return json(503, { error: 'busy' });
        }
        if (req.method === 'GET')
          return kept.has(ext) ? json(200, kept.get(ext)) : json(404, { error: 'none' });
        if (req.method === 'DELETE') return json(kept.delete(ext) ? 204 : 404);
        const value = JSON.parse(body) as Record<string, unknown>;
        kept.set(ext, { ...value, text: String(value.text).slice(0, textLimit) });
        return json(200, kept.get(ext));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  beforeEach(async () => {
    await phone?.close();
    seen.links.length = 0;
    seen.faults.length = 0;
    phone = createTrioPhone({
      url,
      token: TOKEN,
      reasons: { lunch: 'LUNCH' },
      retryMs: { min: 20, max: 80 },
    });
    await phone.open(listener);
  });
  afterAll(async () => {
    await phone?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('writes an away referral with its return time and a forwarding alternative, reads it back, deletes it on reopen', async () => {
    const withAlt: Presence = { ...lunch, alt: { kind: 'forward', to: '4712', name: 'Bo Ek' } };
    phone.referralChanged(referral('4711', withAlt));
    await vi.waitFor(() => expect(seen.links).toEqual([true]));
    expect(kept.get('4711')).toEqual({
      reasonCode: 'LUNCH',
      text: 'Lunch, tillbaka 12:45; samtal till Bo Ek 4712',
      returnTime: lunch.until,
      alternative: { number: '4712', transfer: true, text: 'Bo Ek' },
    });
    expect(requests.slice(-2)).toEqual([
      'PUT /api/v1/subscribers/4711/referral',
      'GET /api/v1/subscribers/4711/referral',
    ]);
    phone.referralChanged(
      referral('4711', { ...lunch, status: 'available', reason: null, until: null, seq: 8 }),
    );
    await vi.waitFor(() => expect(kept.has('4711')).toBe(false));
    expect(seen.faults).toEqual([]);
  });

  it('an information alternative is for the operator only; a private reason is only away (SAMSA, Högsby)', async () => {
    phone.referralChanged(referral('4713', { ...lunch, alt: { kind: 'info', text: 'Fråga receptionen' } }));
    phone.referralChanged(referral('4714', { ...lunch, reason: 'sick' }, { label: 'Sjuk', private: true }));
    await vi.waitFor(() => expect(kept.has('4713') && kept.has('4714')).toBe(true));
    expect(kept.get('4713')?.alternative).toEqual({
      number: null,
      transfer: false,
      text: 'Fråga receptionen',
    });
    expect(kept.get('4714')).toMatchObject({ reasonCode: 'away', text: 'Borta, tillbaka 12:45' });
    expect(JSON.stringify(kept.get('4714'))).not.toMatch(/sick|Sjuk/i);
  });

  it('retries a Trio that fails until the newest referral is written; link down, then up', async () => {
    failNext = 3;
    phone.referralChanged(referral('4715', lunch));
    await vi.waitFor(() => expect(kept.get('4715')).toMatchObject({ reasonCode: 'LUNCH' }), 10_000);
    // up once the written referral is read back
    await vi.waitFor(() => expect(seen.links).toEqual([false, true]));
    expect(failNext).toBe(0);
  });

  it('an unreachable Trio is phone/link down, saying why', async () => {
    // a port nobody listens on
    const gone = createTrioPhone({
      url: `http://127.0.0.1:${await freePort()}/api/v1`,
      token: TOKEN,
      retryMs: { min: 50, max: 50 },
    });
    const links: { up: boolean; detail?: string | undefined }[] = [];
    await gone.open({ ...listener, link: (up, detail) => links.push({ up, detail }) });
    gone.referralChanged(referral('4718', lunch));
    await vi.waitFor(() =>
      expect(links).toEqual([{ up: false, detail: expect.stringMatching(/4718: .*ECONNREFUSED/) }]),
    );
    await gone.close();
  });

  it('reports what Trio keeps differently, and a token Trio refuses, without retrying it', async () => {
    textLimit = 10;
    phone.referralChanged(referral('4716', lunch));
    await vi.waitFor(() =>
      expect(seen.faults).toEqual([expect.stringMatching(/Trio holds .*Lunch, til.* for 4716/)]),
    );
    textLimit = 1000;
    const refused = createTrioPhone({ url, token: 'wrong', retryMs: { min: 20, max: 80 } });
    const faults: string[] = [];
    await refused.open({ ...listener, link: () => {}, fault: (e) => faults.push(e.message) });
    const before = requests.length;
    refused.referralChanged(referral('4717', lunch));
    await vi.waitFor(() => expect(faults).toEqual(['Trio PUT 4717: HTTP 401']));
    expect(requests.length).toBe(before + 1);
    await refused.close();
  });
});
