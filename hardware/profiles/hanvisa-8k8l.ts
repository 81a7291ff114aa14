// The hanvisa serial key panel: an ATmega328P board (Arduino Uno/Nano) with 8 keys and 8 LEDs.
// Mirrors firmware/panel_config.h (a test checks they agree); docs/panel-wiring.md is the wiring table.

export interface PanelPin {
  /** AVR port letter and bit */
  port: 'B' | 'C' | 'D';
  bit: number;
  /** the pin's name on an Arduino Uno/Nano header */
  header: string;
}

export interface SerialPanelProfile {
  model: string;
  mcu: 'atmega328p';
  clockHz: number;
  baudRate: number;
  /** index = key number on the wire; switch to GND, internal pull-up */
  keys: readonly PanelPin[];
  /** index = LED number in a frame; pin high = lit */
  leds: readonly PanelPin[];
  debounceMs: number;
  longPressMs: number;
  /** half periods: slow blink is 1 Hz, fast 4 Hz */
  slowHalfMs: number;
  fastHalfMs: number;
  heartbeatMs: number;
  /** the panel shows its offline pattern after this long without a valid frame from the host */
  hostSilentMs: number;
}

export const hanvisa8k8l: SerialPanelProfile = {
  model: 'hanvisa-8k8l',
  mcu: 'atmega328p',
  clockHz: 16_000_000,
  baudRate: 250_000,
  keys: [
    { port: 'D', bit: 2, header: 'D2' },
    { port: 'D', bit: 3, header: 'D3' },
    { port: 'D', bit: 4, header: 'D4' },
    { port: 'D', bit: 5, header: 'D5' },
    { port: 'D', bit: 6, header: 'D6' },
    { port: 'D', bit: 7, header: 'D7' },
    { port: 'B', bit: 0, header: 'D8' },
    { port: 'B', bit: 1, header: 'D9' },
  ],
  leds: [
    { port: 'C', bit: 0, header: 'A0' },
    { port: 'C', bit: 1, header: 'A1' },
    { port: 'C', bit: 2, header: 'A2' },
    { port: 'C', bit: 3, header: 'A3' },
    { port: 'C', bit: 4, header: 'A4' },
    { port: 'C', bit: 5, header: 'A5' },
    { port: 'B', bit: 2, header: 'D10' },
    { port: 'B', bit: 3, header: 'D11' },
  ],
  debounceMs: 20,
  longPressMs: 800,
  slowHalfMs: 500,
  fastHalfMs: 125,
  heartbeatMs: 1000,
  hostSilentMs: 3000,
};
