// What the tests with real calls share (call-routing.test.ts, the calls-to-statistics end-to-end test):
// referrals published as a desk would, the routing question asked of the bridge as Kamailio asks it
// (to wait until the bridge decides, and until it has heard a referral), and every phone hung up
// between calls. Waits on answers and events, never on sleeps.
import type { MqttClient } from 'mqtt';
import { expect, vi } from 'vitest';
import { encode, type Presence } from '../../protocol/index.js';
import type { SipPhone } from './sip-phones.js';
import { sipProbe } from './sip-probe.js';

/** Publishes `ext`'s referral (available unless `p` says otherwise); returns when it was sent (ms). */
export function referrer(client: MqttClient, org: string) {
  let seq = 0;
  return async (ext: string, p: Partial<Presence>): Promise<number> => {
    const now = new Date().toISOString();
    const body: Presence = {
      v: 1,
      status: 'available',
      reason: null,
      since: now,
      until: null,
      alt: null,
      seq: ++seq,
      by: { kind: 'desk', id: `desk-${ext}` },
      at: now,
      ...p,
    };
    const { topic, payload, retain, qos } = encode({ kind: 'presence', org, ext, body });
    await client.publishAsync(topic, payload, { retain, qos });
    return Date.now();
  };
}

/** At lunch for an hour (a whole minute, as a desk sets it), with an alternative answering point or none. */
export const lunch = (alt: Presence['alt'] = null): Partial<Presence> => ({
  status: 'away',
  reason: 'lunch',
  until: new Date(Date.now() + 3_600_000).toISOString().replace(/:\d\d\.\d{3}Z$/, ':00.000Z'),
  alt,
});

/** One raw routing question to the bridge on `bridgePort`, as Kamailio asks it; the answer's text. */
export async function askBridge(bridgePort: number, method: string, ext: string): Promise<string> {
  const probe = await sipProbe();
  try {
    return await probe.request(method, `sip:${ext}@127.0.0.1`, bridgePort);
  } finally {
    probe.close();
  }
}

/** The bridge has the referral just published: it would send a call for `ext` to `target`. */
export const bridgeKnows = (bridgePort: number, ext: string, target: string, timeout = 10_000) =>
  vi.waitFor(
    async () => {
      const answer = await askBridge(bridgePort, 'INVITE', ext);
      expect(/^Contact: <sip:(\d+)@/m.exec(answer)?.[1]).toBe(target);
    },
    { timeout, interval: 20 },
  );

/** The bridge has heard the retained referrals: a question (the switchboard's own) is answered 302. */
export const bridgeDecides = (bridgePort: number, switchboard: string) =>
  vi.waitFor(
    async () => expect(await askBridge(bridgePort, 'INVITE', switchboard)).toMatch(/^SIP\/2\.0 302/),
    { timeout: 10_000, interval: 100 },
  );

/** Hangs up every phone and waits until each call each one saw has closed. */
export async function hangUpAll(phones: readonly SipPhone[]): Promise<void> {
  for (const p of phones) await p.hangup();
  await vi.waitFor(() => {
    for (const p of phones) {
      const open = p.events().filter((e) => e.type === 'CALL_INCOMING' || e.type === 'CALL_OUTGOING').length;
      const closed = p.events().filter((e) => e.type === 'CALL_CLOSED').length;
      expect(closed, `phone ${p.ext}`).toBeGreaterThanOrEqual(open);
    }
  }, 10_000);
}
