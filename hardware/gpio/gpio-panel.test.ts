// The GPIO driver on a fake of node-libgpiod's chips and lines (test/support/fake-gpio.ts: the hardware
// edge; gpio-sim is not available on this machine's kernel), with recorded-format edge traces.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeGpio, readGpiomonTrace } from '../../test/support/fake-gpio.js';
import { describePanelContract } from '../../test/support/panel-contract.js';
import { RecordingListener } from '../../test/support/panel-listener.js';
import { raspberryPi4, raspberryPi5 } from '../profiles/raspberry-pi.js';
import { GpioPanel } from './gpio-panel.js';

const PI4 = { name: 'gpiochip0', label: 'pinctrl-bcm2711', lines: 58 };
const keyPin = (key: number) => raspberryPi4.keys[key]?.gpio ?? -1;
const ledPin = (led: number) => raspberryPi4.leds[led]?.gpio ?? -1;

describePanelContract('GPIO (Pi 4, fake libgpiod lines)', async () => {
  const gpio = new FakeGpio([PI4]);
  let unplugged = false;
  return {
    panel: new GpioPanel({ profile: raspberryPi4, library: gpio.library, retryMinMs: 100, retryMaxMs: 400 }),
    keys: 8,
    leds: 8,
    key: 3,
    press: (key) => gpio.drive(keyPin(key), 0),
    release: (key) => gpio.drive(keyPin(key), 1),
    lit: (led) => !unplugged && gpio.level(ledPin(led)) === 1,
    unplug: () => {
      unplugged = true;
      gpio.unplug(PI4.name);
    },
    replug: () => {
      unplugged = false;
      gpio.replug(PI4.name);
    },
    malformed: () => gpio.failRead(keyPin(3)),
    settleMs: raspberryPi4.debounceMs + 3 * raspberryPi4.pollMs,
  };
});

describe('GpioPanel', () => {
  let listener: RecordingListener;
  let panel: GpioPanel | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    listener = new RecordingListener();
  });
  afterEach(async () => {
    await panel?.close();
    vi.useRealTimers();
  });

  it('debounces a bouncing contact into one press and one release; a 1.5 ms spike is nothing', async () => {
    const gpio = new FakeGpio([PI4]);
    panel = new GpioPanel({ profile: raspberryPi4, library: gpio.library });
    await panel.open(listener);
    gpio.replay(readGpiomonTrace('gpio-key-bounce.txt'));
    await vi.advanceTimersByTimeAsync(700);
    expect(listener.keys).toEqual([
      { type: 'press', key: 0 },
      { type: 'release', key: 0 },
    ]);
    expect(listener.faults).toEqual([]);
  });

  it('asks the kernel for pull-up, active-low keys and low outputs; releases every line on close, LEDs dark', async () => {
    const gpio = new FakeGpio([PI4]);
    panel = new GpioPanel({ profile: raspberryPi4, library: gpio.library });
    await panel.open(listener);
    expect(gpio.request(keyPin(0))).toEqual({ mode: 'input', flags: (1 << 2) | (1 << 5) });
    expect(gpio.request(ledPin(0)).mode).toBe('output');
    panel.show([{ pattern: 'on' }]);
    expect(gpio.level(ledPin(0))).toBe(1);
    await panel.close();
    panel = undefined;
    expect(gpio.level(ledPin(0))).toBe(0);
    expect(gpio.request(keyPin(0)).mode).toBe('free');
    expect(gpio.request(ledPin(7)).mode).toBe('free');
  });

  it("finds the Pi 5's RP1 header by its label, on gpiochip4 (older kernels) or gpiochip0", async () => {
    for (const name of ['gpiochip4', 'gpiochip0']) {
      const chips = [
        { name, label: 'pinctrl-rp1', lines: 54 },
        {
          name: name === 'gpiochip0' ? 'gpiochip10' : 'gpiochip0',
          label: 'gpio-brcmstb@107d508500',
          lines: 32,
        },
      ];
      const gpio = new FakeGpio(chips);
      const l = new RecordingListener();
      const p = new GpioPanel({ profile: raspberryPi5, library: gpio.library });
      await p.open(l);
      expect(l.connections[0]).toMatchObject({ hardwareId: `gpio-${name}`, model: 'rpi5-gpio-8k8l' });
      gpio.drive(raspberryPi5.keys[1]?.gpio ?? -1, 0, name);
      await vi.advanceTimersByTimeAsync(50);
      expect(l.keys).toEqual([{ type: 'press', key: 1 }]);
      await p.close();
    }
  });

  it('no such chip: one fault naming what it found, retried with backoff until it appears', async () => {
    const gpio = new FakeGpio([{ name: 'gpiochip0', label: 'pinctrl-bcm2835', lines: 54 }]);
    panel = new GpioPanel({ profile: raspberryPi4, library: gpio.library, retryMinMs: 100 });
    await panel.open(listener);
    await vi.advanceTimersByTimeAsync(2000);
    expect(listener.faults.map((f) => f.message)).toEqual([
      'GPIO gpiochip0: no GPIO chip labelled pinctrl-bcm2711 (found: gpiochip0)',
    ]);
    expect(listener.connections).toEqual([]);
  });

  it('a key held while the driver starts is no press; a line another program holds is a fault, then retried', async () => {
    const gpio = new FakeGpio([PI4]);
    gpio.drive(keyPin(2), 0);
    const other = new gpio.library.Line(new gpio.library.Chip('gpiochip0'), ledPin(5));
    other.requestOutputMode('other', 0);
    panel = new GpioPanel({ profile: raspberryPi4, library: gpio.library, retryMinMs: 100 });
    await panel.open(listener);
    expect(listener.faults[0]?.message).toMatch(/EBUSY/);
    other.release();
    await vi.advanceTimersByTimeAsync(150);
    expect(listener.connected).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(listener.keys).toEqual([]);
    expect(gpio.request(ledPin(5)).mode).toBe('output');
  });
});
