// node-hid is a native module: an agent that does not use the hid driver must never load it.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const loaded = () =>
  Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/node-hid/'));

describe('HID drivers load on demand', () => {
  it('the agent CLI and openHidPanel do not load node-hid; opening an X-keys panel does', async () => {
    await import('../../agent/command.js');
    await import('./open.js');
    expect(loaded()).toEqual([]);
    const { openHidPanel } = await import('./open.js');
    const { FakeHidBus } = await import('../../test/support/fake-hid.js');
    await openHidPanel({ model: 'xkeys' }, { access: new FakeHidBus() });
    expect(loaded()).not.toEqual([]);
  });
});
