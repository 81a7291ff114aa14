// Which driver openHidPanel picks from the agent config's driver block (on a fake HID bus, so nothing
// native is opened).
import { describe, expect, it } from 'vitest';
import { FakeHidBus } from '../../test/support/fake-hid.js';
import { GenericKeypad } from './generic-keypad.js';
import { openHidPanel } from './open.js';
import { XKeysPanel } from './xkeys-panel.js';

const access = new FakeHidBus();

describe('openHidPanel', () => {
  it('X-keys by model or by the P.I. Engineering vendor id', async () => {
    expect(await openHidPanel({ model: 'xkeys' }, { access })).toBeInstanceOf(XKeysPanel);
    expect(await openHidPanel({ model: 'xkeys-xk16' }, { access })).toBeInstanceOf(XKeysPanel);
    expect(await openHidPanel({ vendorId: 0x05f3, productId: 1049 }, { access })).toBeInstanceOf(XKeysPanel);
  });

  it('a plain keypad by ids or path, keypad-boot unless a model is named', async () => {
    expect(await openHidPanel({ vendorId: 0x1234, productId: 0x5678 }, { access })).toBeInstanceOf(
      GenericKeypad,
    );
    expect(await openHidPanel({ path: '/dev/hidraw2', model: 'macropad-f13' }, { access })).toBeInstanceOf(
      GenericKeypad,
    );
  });

  it('refuses at start-up a model it does not know, and a keypad it could not find', async () => {
    await expect(openHidPanel({ model: 'streamdeck', vendorId: 1 }, { access })).rejects.toThrow(
      'driver.model "streamdeck" is no HID panel this build knows (xkeys, keypad-boot, macropad-f13, buttonbox-16)',
    );
    await expect(openHidPanel({}, { access })).rejects.toThrow(
      'needs driver.vendorId (and productId) or driver.path',
    );
  });
});
