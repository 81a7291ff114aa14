// A USB HID desk end to end: the real agent with the HID drivers on a fake HID bus (the hardware edge:
// test/support/fake-hid.ts, playing recorded reports) and a real Mosquitto. A key report on the keypad
// or the X-keys ends as the desk's presence, away for lunch, at a subscriber.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { openHidPanel } from '../../hardware/hid/open.js';
import { decode, filterFor, type Presence } from '../../protocol/index.js';
import { FakeHidBus, FakeHidDevice } from '../support/fake-hid.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { xk16Event, xk16Plug } from '../support/xkeys-fixture.js';

const ORG = 'hidkommun';
// test/support/hid-fixtures/keypad-boot.json: Keypad 1 down, then all keys up (key 1 is lunch in the default layout)
const KEYPAD_1_DOWN = '0000590000000000';
const ALL_UP = '0000000000000000';

describe('desk agent on a USB HID panel', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  let board: MqttClient;
  const seen = new Map<string, Presence>();
  const agents: Agent[] = [];

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-hid-'));
    board = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    board.on('message', (topic, payload) => {
      const d = decode(topic, payload);
      if (d.ok && d.message.kind === 'presence' && d.message.body) seen.set(d.message.ext, d.message.body);
    });
    await board.subscribeAsync(filterFor('presence', ORG), { qos: 1 });
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
  });
  afterAll(async () => {
    await board.endAsync();
    await mosquitto.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(ext: string, driver: Record<string, unknown>, bus: FakeHidBus) {
    const config = parseConfig({
      org: ORG,
      ext,
      deviceId: `desk-hid-${ext}`,
      broker: { url: mosquitto.url },
      driver: { type: 'hid', ...driver },
      journalPath: join(dir, `${ext}.json`),
    });
    if (config.driver.type !== 'hid') throw new Error('not a hid driver');
    const panel = await openHidPanel(config.driver, { access: bus });
    const agent = await startAgent(config, { panel, settleMs: 100 });
    agents.push(agent);
    await vi.waitFor(() => expect(agent.synced).toBe(true), { timeout: 5000 });
    return agent;
  }

  it('a boot-protocol keypad: Keypad 1 pressed and released → away, lunch', async () => {
    const bus = new FakeHidBus();
    bus.plug({
      info: {
        vendorId: 0x1234,
        productId: 0x5678,
        path: '/dev/hidraw1',
        interface: 0,
        usagePage: 1,
        usage: 6,
      },
      make: () => new FakeHidDevice(),
    });
    const agent = await start('701', { vendorId: 0x1234, productId: 0x5678 }, bus);
    await vi.waitFor(() => expect(bus.last).toBeDefined());
    bus.last?.input(KEYPAD_1_DOWN);
    bus.last?.input(ALL_UP);
    await vi.waitFor(() => expect(seen.get('701')).toMatchObject({ status: 'away', reason: 'lunch' }), {
      timeout: 5000,
    });
    expect(agent.panelFaults).toBe(0);
  });

  it('an X-keys XK-16 Stick: its second key pressed and released (recorded reports) → away, lunch', async () => {
    const bus = new FakeHidBus();
    bus.plug(xk16Plug('/dev/hidraw2'));
    const agent = await start('702', { model: 'xkeys' }, bus);
    await vi.waitFor(() => expect(bus.last?.writes.length).toBeGreaterThan(2));
    bus.last?.input(xk16Event('Button 2 pressed'));
    bus.last?.input(xk16Event('Button 2 released'));
    await vi.waitFor(() => expect(seen.get('702')).toMatchObject({ status: 'away', reason: 'lunch' }), {
      timeout: 5000,
    });
    expect(agent.panelFaults).toBe(0);
  });
});
