// The Stream Deck driver with the real @elgato-stream-deck library and JPEG encoder on a fake HID bus
// (test/support/fake-stream-deck.ts: an MK.2 answering with the library's own test bytes).
import { VENDOR_ID } from '@elgato-stream-deck/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeStreamDeck,
  FakeStreamDeckBus,
  MK2,
  streamDeckPlug,
} from '../../test/support/fake-stream-deck.js';
import { describePanelContract } from '../../test/support/panel-contract.js';
import { RecordingListener } from '../../test/support/panel-listener.js';
import { STREAM_DECK_VENDOR_ID } from '../udev.js';
import { FACE_COLORS } from './face.js';
import { StreamDeckPanel } from './streamdeck-panel.js';

const PATH = '/dev/hidraw9';
const opened = (bus: FakeStreamDeckBus): FakeStreamDeck => {
  const d = bus.last;
  if (!(d instanceof FakeStreamDeck)) throw new Error('nothing opened');
  return d;
};
const bright = (rgb: [number, number, number] | undefined) => (rgb ? rgb[0] + rgb[1] + rgb[2] > 200 : false);

describePanelContract('Stream Deck MK.2 (elgato-stream-deck library, fake HID bus)', async () => {
  const bus = new FakeStreamDeckBus();
  bus.plug(streamDeckPlug(PATH));
  const held = new Set<number>();
  return {
    panel: new StreamDeckPanel({ access: bus, pollMs: 100 }),
    keys: MK2.keys,
    leds: MK2.keys,
    key: 4,
    press: (key) => {
      held.add(key);
      opened(bus).keys([...held]);
    },
    release: (key) => {
      held.delete(key);
      opened(bus).keys([...held]);
    },
    lit: (led) => !opened(bus).closed && bright(opened(bus).corner(led)),
    unplug: () => bus.unplug(PATH),
    replug: () => bus.plug(streamDeckPlug(PATH)),
    malformed: () => opened(bus).input([0x01, 0x00, 0x00]),
    settleMs: 30,
  };
});

describe('StreamDeckPanel', () => {
  let bus: FakeStreamDeckBus;
  let listener: RecordingListener;
  let panel: StreamDeckPanel;

  beforeEach(async () => {
    bus = new FakeStreamDeckBus();
    bus.plug(streamDeckPlug(PATH));
    listener = new RecordingListener();
    panel = new StreamDeckPanel({ access: bus, pollMs: 50, brightness: 80 });
    await panel.open(listener);
    await vi.waitFor(() => expect(listener.connected).toBe(true), { timeout: 5000 });
  });
  afterEach(async () => {
    await panel.close();
  });

  it('describes the deck from its feature reports and sets the brightness with the gen-2 command', () => {
    expect(listener.connections[0]).toEqual({
      hardwareId: 'streamdeck-CL18I1A00913',
      model: 'streamdeck Stream Deck MK.2',
      keys: 15,
      leds: 15,
      firmware: '1.00.004',
      reportsLongPress: false,
      colors: true,
    });
    const brightness = [0x03, 0x08, 80, ...Array(29).fill(0)];
    expect(opened(bus).features).toContainEqual(brightness);
  });

  it("draws a key in the lamp's colour with its label and return time; a new label redraws only that key", async () => {
    const d = opened(bus);
    panel.label([{ text: 'Öppen / Back' }, { text: 'Lunch', detail: '13:00' }]);
    panel.show([{ pattern: 'off' }, { pattern: 'on', color: 'red' }]);
    await vi.waitFor(
      () => {
        const [r, g, b] = d.corner(1) ?? [0, 0, 0];
        expect(r).toBeGreaterThan(150);
        expect(g + b).toBeLessThan(150);
      },
      { timeout: 5000 },
    );
    expect(bright(d.corner(0))).toBe(false);
    expect(FACE_COLORS.red).toBe('#c62828');
    const before = d.image(1);
    const writes = d.writes.length;
    panel.label([{ text: 'Öppen / Back' }, { text: 'Lunch', detail: '13:15' }]);
    await vi.waitFor(() => expect(d.image(1)).not.toEqual(before), { timeout: 5000 });
    expect(d.writes.slice(writes).every((w) => w[2] === 1)).toBe(true);
  });

  it('a foreign report id and a short key report are counted and dropped; no key goes up by them', async () => {
    const d = opened(bus);
    d.keys([2]);
    d.input([0x02, 0x00, 0x00, 0x00]);
    d.input([0x01, 0x00, 0x00, 0x00, 0x00]);
    expect(panel.rejected).toBe(2);
    expect(listener.keys).toEqual([{ type: 'press', key: 2 }]);
  });

  it('clears the keys when it stops (the gen-2 clear-screen command)', async () => {
    const d = opened(bus);
    panel.show([{ pattern: 'on', color: 'green' }]);
    await vi.waitFor(() => expect(bright(d.corner(0))).toBe(true), { timeout: 5000 });
    await panel.close();
    expect(d.features).toContainEqual([0x03, 0x05, 0, 0, 0, 0]);
    expect(d.closed).toBe(true);
  });
});

it("the udev rule's Stream Deck vendor id is the library's", () => {
  expect(STREAM_DECK_VENDOR_ID).toBe(VENDOR_ID);
  expect(MK2.vendorId).toBe(VENDOR_ID);
});
