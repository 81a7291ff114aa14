// The pin profile checked against what the board itself reported (capability and analog-mapping
// replies), once it is ready: a pin it does not have, or cannot use as asked, is a clear fault rather
// than a TypeError deep inside firmata-io.
import type { EventEmitter } from 'node:events';
import type { FirmataPins } from '../profiles/firmata-uno.js';

/** The part of firmata-io's Firmata instance the driver uses (the package ships no types). */
export interface FirmataIo extends EventEmitter {
  pins: { supportedModes: number[] }[];
  analogPins: number[];
  MODES: { INPUT: number; OUTPUT: number };
  firmware: { name?: string; version?: { major: number; minor: number } };
  /** its parser's pending bytes */
  buffer: number[];
  reportVersionTimeoutId: ReturnType<typeof setTimeout> | undefined;
}

export interface ResolvedPins {
  keys: number[];
  leds: number[];
}

/** Firmata pin numbers for the profile's pins, or what is wrong with it on this board. */
export function resolvePins(io: FirmataIo, pins: FirmataPins): ResolvedPins | string {
  const used = new Map<number, string>();
  const resolve = (role: 'keys' | 'leds', mode: number) => (pin: number | string, i: number) => {
    const name = `${role}.${i} (pin ${pin})`;
    const n = typeof pin === 'number' ? pin : io.analogPins[Number(pin.slice(1))];
    if (n === undefined || !io.pins[n]) throw new Error(`${name}: the board has no such pin`);
    if (!io.pins[n].supportedModes.includes(mode))
      throw new Error(`${name}: the board cannot use it as ${role === 'keys' ? 'an input' : 'an output'}`);
    const other = used.get(n);
    if (other) throw new Error(`${name}: the same pin as ${other}`);
    used.set(n, name);
    return n;
  };
  try {
    return {
      keys: pins.keys.map(resolve('keys', io.MODES.INPUT)),
      leds: pins.leds.map(resolve('leds', io.MODES.OUTPUT)),
    };
  } catch (error) {
    return (error as Error).message;
  }
}
