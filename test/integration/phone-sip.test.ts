// The SIP adapter against real Kamailio (presence, presence_xml, presence_mwi) with real SIP peers:
// sipsak as the voicemail server, baresip as a phone watching a desk's presence. End to end through
// the bridge and a broker: a key press on a desk reaches the SIP watcher; a voicemail published to
// Kamailio lights the desk's message LED; a Kamailio restart loses nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { decode, filterFor } from '../../protocol/index.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { LUNCH, MESSAGE_LED, OPEN } from '../support/desk-agent-harness.js';
import { type Kamailio, startKamailio } from '../support/kamailio.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { type Baresip, publishVoicemail, startBaresipWatcher } from '../support/sip-peers.js';

const ORG = 'grastorp';
const EXT = '2001';

describe('SIP adapter with Kamailio, sipsak and baresip', () => {
  let kamailio: Kamailio;
  let mosquitto: Mosquitto;
  let bridge: Bridge;
  let agent: Agent;
  let watcher: Baresip;
  let dir: string;
  const panel = new VirtualPanel();

  const sipPhone = () =>
    createSipPhone({
      server: { host: kamailio.host, port: kamailio.port },
      domain: kamailio.domain,
      extensions: [EXT],
      localHost: '127.0.0.1',
      keepaliveMs: 500,
      timeoutMs: 1500,
    });

  beforeAll(async () => {
    [kamailio, mosquitto] = await Promise.all([startKamailio(), startMosquitto()]);
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-phone-sip-'));
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone: sipPhone() });
    await bridge.ready;
    agent = await startAgent(
      parseConfig({
        org: ORG,
        ext: EXT,
        deviceId: `desk-${EXT}`,
        broker: { url: mosquitto.url },
        journalPath: join(dir, 'journal.json'),
      }),
      { panel, settleMs: 100 },
    );
    watcher = await startBaresipWatcher(kamailio, EXT);
  }, 60_000);

  afterAll(async () => {
    await watcher?.stop();
    await agent?.stop();
    await bridge?.stop();
    await kamailio?.dispose();
    await mosquitto?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a voicemail published to Kamailio lights the desk message LED; none left turns it off', async () => {
    await publishVoicemail(kamailio, EXT, 2);
    await vi.waitFor(() => expect(panel.frame[MESSAGE_LED]?.pattern).toBe('on'), 20_000);
    await publishVoicemail(kamailio, EXT, 0);
    await vi.waitFor(() => expect(panel.frame[MESSAGE_LED]?.pattern).toBe('off'), 20_000);
  });

  it('a key press on the desk reaches the SIP watcher (Offline), reopening makes it Online again', async () => {
    // baresip logs changes between known states only: first make the desk's state known as open
    panel.tap(LUNCH);
    panel.tap(OPEN);
    // Kamailio has NOTIFYed baresip's subscription (it subscribes a second after start)
    await vi.waitFor(
      () => expect(kamailio.log()).toMatch(/NOTIFY sip:watcher@.* for event presence/),
      20_000,
    );
    panel.tap(LUNCH);
    await vi.waitFor(() => expect(watcher.statuses().at(-1)).toBe('Offline'), 20_000);
    panel.tap(OPEN);
    await vi.waitFor(() => expect(watcher.statuses().at(-1)).toBe('Online'), 20_000);
  }, 60_000);

  it('a bridge restart loses nothing: voicemail left while it was away lights the LED once it is back', async () => {
    await publishVoicemail(kamailio, EXT, 0);
    await vi.waitFor(() => expect(panel.frame[MESSAGE_LED]?.pattern).toBe('off'), 20_000);
    await bridge.stop();
    await publishVoicemail(kamailio, EXT, 2); // nobody subscribed from hanvisa right now
    bridge = startBridge({ brokerUrl: mosquitto.url, org: ORG, phone: sipPhone() });
    await bridge.ready;
    // the new subscription's first NOTIFY carries the count Kamailio holds
    await vi.waitFor(() => expect(panel.frame[MESSAGE_LED]?.pattern).toBe('on'), 20_000);
    // and the desk's referral reaches the PBX again through the new bridge
    panel.tap(LUNCH);
    await vi.waitFor(() => expect(watcher.statuses().at(-1)).toBe('Offline'), 20_000);
    panel.tap(OPEN);
    await vi.waitFor(() => expect(watcher.statuses().at(-1)).toBe('Online'), 20_000);
  }, 60_000);

  it('survives a Kamailio restart: link down with stale voicemail, then up with fresh values, nothing lost', async () => {
    const seen: { link: boolean[]; stale: boolean[] } = { link: [], stale: [] };
    const observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    observer.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok && r.message.kind === 'phone-link' && r.message.body) seen.link.push(r.message.body.up);
      if (r.ok && r.message.kind === 'voicemail' && r.message.body)
        seen.stale.push(r.message.body.stale === true);
    });
    await observer.subscribeAsync([filterFor('phone-link', ORG), filterFor('voicemail', ORG)], { qos: 1 });
    try {
      await publishVoicemail(kamailio, EXT, 1);
      await vi.waitFor(() => expect(panel.frame[MESSAGE_LED]?.pattern).toBe('on'), 20_000);
      await kamailio.kill();
      await vi.waitFor(() => {
        expect(seen.link.at(-1)).toBe(false);
        expect(seen.stale.at(-1)).toBe(true);
      }, 20_000);
      // still lit: stale is "last known", not "none"
      expect(panel.frame[MESSAGE_LED]?.pattern).toBe('on');
      await kamailio.start();
      await vi.waitFor(() => expect(seen.link.at(-1)).toBe(true), 20_000);
      await publishVoicemail(kamailio, EXT, 3);
      await vi.waitFor(() => expect(seen.stale.at(-1)).toBe(false), 20_000);
      await publishVoicemail(kamailio, EXT, 0);
      await vi.waitFor(() => expect(panel.frame[MESSAGE_LED]?.pattern).toBe('off'), 20_000);
      expect(bridge.stats().rejected).toBe(0);
    } finally {
      await observer.endAsync(true);
    }
  }, 90_000);
});
