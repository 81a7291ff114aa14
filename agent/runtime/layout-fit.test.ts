// The 8-key layout and the fit check: a layout's key or LED the panel lacks is a warning in the log and
// in the retained device state, never a silent drop.
import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../config/json-file.js';
import type { PanelDescription } from '../../hardware/port.js';
import { DEFAULT_LAYOUT, EIGHT_KEY_LAYOUT } from '../../protocol/layouts.js';
import { parseConfig } from './config.js';
import { layoutFit } from './device-settings.js';
import { deviceStateMessage } from './device-state.js';

const base = {
  org: 'acme',
  ext: '100',
  deviceId: 'desk-1',
  broker: { url: 'mqtt://127.0.0.1:1883' },
  journalPath: 'j',
};
const panel8: PanelDescription = {
  hardwareId: 'gpio-gpiochip0',
  model: 'rpi4-gpio-8k8l',
  keys: 8,
  leds: 8,
  reportsLongPress: false,
  colors: false,
};

describe('layouts for the panel', () => {
  it('8-key/8-LED drivers start with the 8-key layout, the others with the 12-key one; a name picks one', () => {
    for (const driver of [
      { type: 'serial', path: '/dev/ttyACM0' },
      { type: 'firmata', path: '/dev/ttyACM0' },
      { type: 'gpio' },
    ])
      expect(parseConfig({ ...base, driver }).layout).toEqual(EIGHT_KEY_LAYOUT);
    expect(parseConfig({ ...base, driver: { type: 'streamdeck' } }).layout).toEqual(DEFAULT_LAYOUT);
    expect(parseConfig({ ...base, layout: '8-key' }).layout).toEqual(EIGHT_KEY_LAYOUT);
    expect(() => parseConfig({ ...base, layout: '6-key' })).toThrow(ConfigFileError);
  });

  it('the 8-key layout keeps the message, queue and link lamps and fits an 8×8 panel', () => {
    expect(EIGHT_KEY_LAYOUT.leds.map((l) => l.role.type)).toEqual(
      expect.arrayContaining(['available', 'message', 'queue', 'link']),
    );
    expect(layoutFit(EIGHT_KEY_LAYOUT, panel8)).toEqual([]);
  });

  it('the 12-key layout on an 8×8 panel: every missing key and lamp named, and published in the device state', () => {
    const misfit = layoutFit(DEFAULT_LAYOUT, panel8);
    expect(misfit).toEqual([
      'layout.keys: key 8 is not on this panel (8 keys)',
      'layout.keys: key 9 is not on this panel (8 keys)',
      'layout.keys: key 10 is not on this panel (8 keys)',
      'layout.keys: key 11 is not on this panel (8 keys)',
      'layout.leds: LED 8 is not on this panel (8 LEDs): its reason lamp',
      'layout.leds: LED 9 is not on this panel (8 LEDs): its message lamp',
      'layout.leds: LED 10 is not on this panel (8 LEDs): its queue lamp',
      'layout.leds: LED 11 is not on this panel (8 LEDs): its link lamp',
    ]);
    const facts = { ext: '100', configVersion: 0, panel: panel8, panelConnected: true, warnings: misfit };
    const state = JSON.parse(
      deviceStateMessage('acme', 'desk-1', new Date(0), true, facts).payload.toString(),
    );
    expect(state.warnings).toEqual(misfit);
    expect(layoutFit(DEFAULT_LAYOUT, undefined)).toEqual([]);
  });
});
