// A Firmata desk end to end: the real agent on FirmataPanel, johnny-five and firmata-io over a real
// serialport stream to a fake StandardFirmata Uno (the hardware edge: test/support/fake-firmata.ts),
// and a real Mosquitto. The lunch key (D3) pressed and released ends as the desk's presence, away for
// lunch, retained on the broker, and the lunch LED (A1) lit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { FirmataPanel } from '../../hardware/firmata/firmata-panel.js';
import type { PanelListener } from '../../hardware/port.js';
import { decode, type Presence, topicFor } from '../../protocol/index.js';
import { EMULATED_PATH, EmulatedSerialBinding } from '../firmware/emulated-port.js';
import { FakeFirmataBoard } from '../support/fake-firmata.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORG = 'firmatakommun';
const LUNCH_KEY_PIN = 3; // key 1 (lunch in the default layout) on D3
const LUNCH_LED_PIN = 15; // LED 1 (lunch) on A1
const AVAILABLE_LED_PIN = 14; // LED 0 (available) on A0

describe('desk agent on a Firmata panel', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  let agent: Agent | undefined;

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-firmata-'));
  });
  afterAll(async () => {
    await agent?.stop();
    await mosquitto.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('the lunch key pressed and released → away, lunch, retained on the broker, lunch LED lit', async () => {
    const config = parseConfig({
      org: ORG,
      ext: '801',
      deviceId: 'desk-firmata-801',
      broker: { url: mosquitto.url },
      driver: { type: 'firmata', path: EMULATED_PATH },
      journalPath: join(dir, '801.json'),
    });
    if (config.driver.type !== 'firmata') throw new Error('not a firmata driver');
    const board = new FakeFirmataBoard();
    const panel = new FirmataPanel({ path: config.driver.path, binding: new EmulatedSerialBinding(board) });
    // watch (not replace) what the panel tells the agent, to release the key only once its press is in
    const open = vi.spyOn(panel, 'open');
    agent = await startAgent(config, { panel, settleMs: 100 });
    const listener = open.mock.calls[0]?.[0] as PanelListener;
    const keys = vi.spyOn(listener, 'key');
    await vi.waitFor(() => expect(agent?.synced).toBe(true), { timeout: 5000 });
    await vi.waitFor(() => expect(board.level(AVAILABLE_LED_PIN)).toBe(1), { timeout: 5000 });

    board.press(LUNCH_KEY_PIN);
    await vi.waitFor(() => expect(keys).toHaveBeenCalledWith({ type: 'press', key: 1 }));
    board.release(LUNCH_KEY_PIN);
    await vi.waitFor(() => expect(board.level(LUNCH_LED_PIN)).toBe(1), { timeout: 5000 });
    expect(board.level(AVAILABLE_LED_PIN)).toBe(0);

    // a fresh subscriber gets the retained presence: the broker has it, not just a live stream
    const observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    try {
      const retained = new Promise<Presence | undefined>((resolve) =>
        observer.on('message', (topic, payload) => {
          const d = decode(topic, payload);
          if (d.ok && d.message.kind === 'presence' && d.message.body?.status === 'away')
            resolve(d.message.body);
        }),
      );
      await observer.subscribeAsync(topicFor({ kind: 'presence', org: ORG, ext: '801' }), { qos: 1 });
      expect(await retained).toMatchObject({ status: 'away', reason: 'lunch' });
    } finally {
      await observer.endAsync();
    }
    expect(agent.panelFaults).toBe(0);
  });
});
