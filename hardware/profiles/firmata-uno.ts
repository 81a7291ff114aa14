// An Arduino Uno/Nano running the stock StandardFirmata sketch, wired exactly like the hanvisa key
// panel (hanvisa-8k8l.ts, docs/panel-wiring.md): keys D2–D9 to GND, LEDs on A0–A5, D10, D11. So one
// soldered panel runs either our firmware or StandardFirmata; docs/firmata-panels.md has the table.
import { hanvisa8k8l, type PanelPin } from './hanvisa-8k8l.js';

/** A Firmata pin number (A0 is 14 on an Uno), or an analog header name ("A0") resolved on the board. */
export type FirmataPin = number | string;

export interface FirmataPins {
  /** index = key number; switch to GND, internal pull-up */
  keys: readonly FirmataPin[];
  /** index = LED number in a frame; pin high = lit */
  leds: readonly FirmataPin[];
}

export interface FirmataPanelProfile {
  model: string;
  /** StandardFirmata's rate */
  baudRate: number;
  pins: FirmataPins;
  /** half periods, the same as the firmware panel's so every panel blinks alike */
  slowHalfMs: number;
  fastHalfMs: number;
}

/** D2 → 2; analog headers stay names, since their pin number depends on the board (A0 is 54 on a Mega). */
function firmataPin(pin: PanelPin): FirmataPin {
  return pin.header.startsWith('A') ? pin.header : Number(pin.header.slice(1));
}

export const firmataUno: FirmataPanelProfile = {
  model: 'firmata-uno-8k8l',
  baudRate: 57_600,
  pins: { keys: hanvisa8k8l.keys.map(firmataPin), leds: hanvisa8k8l.leds.map(firmataPin) },
  slowHalfMs: hanvisa8k8l.slowHalfMs,
  fastHalfMs: hanvisa8k8l.fastHalfMs,
};
