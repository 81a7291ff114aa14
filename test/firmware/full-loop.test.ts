// The whole desk, end to end: a key pressed on the emulated panel (real firmware) → SerialPanel →
// desk agent → real Mosquitto → the operators' board model shows the referral; and a queue message on the broker →
// agent → SerialPanel → firmware → an LED pin goes high. The broker and MQTT run on the wall clock,
// so here the emulated CPU is paced to it (a setImmediate pump, no sleeps); waits are conditions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { SerialPanel } from '../../hardware/serial/serial-panel.js';
import { encode } from '../../protocol/index.js';
import type { ContractSession } from '../../session/contract-session.js';
import { BoardModel } from '../../switchboard/board/model.js';
import { startModelSession } from '../support/board-session.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { EMULATED_PATH, EmulatedSerialBinding } from './emulated-port.js';
import { buildFirmware, PanelEmulator } from './emulator.js';
import { HARDWARE_ID } from './rig.js';

const ORG = 'loop';
const EXT = '4711';
const LUNCH_KEY = 1;
const QUEUE_LED = 6;
// 8 keys and 8 LEDs: the default 12-key layout cut down to this panel
const LAYOUT = {
  keys: [
    { key: 0, action: { type: 'open' } },
    { key: 1, action: { type: 'reason', reason: 'lunch' } },
    { key: 2, action: { type: 'reason', reason: 'meeting' } },
    { key: 3, action: { type: 'reason', reason: 'sick' } },
    { key: 7, action: { type: 'message-handled' } },
  ],
  leds: [
    { led: 0, role: { type: 'available' } },
    { led: 1, role: { type: 'reason', reason: 'lunch' } },
    { led: 2, role: { type: 'reason', reason: 'meeting' } },
    { led: 3, role: { type: 'reason', reason: 'sick' } },
    { led: QUEUE_LED, role: { type: 'queue', queue: 'main' } },
    { led: 7, role: { type: 'link' } },
  ],
};

let broker: Mosquitto;
let dir: string;
let emulator: PanelEmulator;
let agent: Agent | undefined;
let publisher: mqtt.MqttClient | undefined;
let boardSession: ContractSession | undefined;
let pumping = true;

/** Runs the emulated CPU as fast as the wall clock goes, never ahead of it. */
function pump(start = performance.now(), startMs = emulator.ms): void {
  if (!pumping) return;
  const behind = performance.now() - start - (emulator.ms - startMs);
  if (behind > 0) emulator.run(Math.min(behind, 5));
  setImmediate(() => pump(start, startMs));
}

beforeAll(async () => {
  buildFirmware();
  broker = await startMosquitto();
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-full-loop-'));
  emulator = new PanelEmulator({ hardwareId: HARDWARE_ID });
  pump();
});

afterAll(async () => {
  await agent?.stop();
  await publisher?.endAsync();
  await boardSession?.close();
  pumping = false;
  await broker?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('key on the emulated panel → referral on the board; queue on the broker → LED pin', async () => {
  const panel = new SerialPanel({ path: EMULATED_PATH, binding: new EmulatedSerialBinding(emulator) });
  const config = parseConfig({
    org: ORG,
    ext: EXT,
    deviceId: 'desk-loop',
    broker: { url: broker.url, keepaliveSeconds: 5 },
    journalPath: join(dir, 'journal.json'),
    layout: LAYOUT,
    queues: ['main'],
    driver: { type: 'serial', path: EMULATED_PATH, baudRate: 250_000 },
  });
  const board = new BoardModel();
  boardSession = await startModelSession({ brokerUrl: broker.url, model: board, orgs: [ORG] });
  await boardSession.ready;
  publisher = await mqtt.connectAsync(broker.url);

  agent = await startAgent(config, { panel });
  await vi.waitFor(() => expect(agent?.synced).toBe(true), { timeout: 10_000 });
  await vi.waitFor(() => expect(emulator.led(0)).toBe(true), { timeout: 5_000 }); // "available"

  // Held until the firmware's long press (800 ms of emulated time): the pump keeps the emulator at
  // wall-clock pace only while the machine has a core to spare, so the waits allow for a loaded one.
  emulator.bounce(LUNCH_KEY, true, 5, 2);
  await vi.waitFor(() => expect(board.row(ORG, EXT)).toMatchObject({ status: 'away', reason: 'lunch' }), {
    timeout: 20_000,
  });
  emulator.setKey(LUNCH_KEY, false);
  await vi.waitFor(() => expect(emulator.led(LUNCH_KEY)).toBe(true), { timeout: 20_000 });
  expect(emulator.led(0)).toBe(false);

  expect(emulator.led(QUEUE_LED)).toBe(false);
  const queue = encode({
    kind: 'queue',
    org: ORG,
    queueId: 'main',
    body: { v: 1, waiting: 2, oldestSince: new Date().toISOString(), at: new Date().toISOString() },
  });
  await publisher.publishAsync(queue.topic, queue.payload, { retain: queue.retain, qos: queue.qos });
  await vi.waitFor(() => expect(emulator.led(QUEUE_LED)).toBe(true), { timeout: 20_000 });
});
