import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeviceConfig, DeviceConfigAck, DeviceState, Message } from '../../protocol/index.js';
import * as A from '../../test/support/arbitraries.js';
import { addToFleet, configStanding, type Fleet, formatFleet, nextVersion, summarise } from './fleet.js';

const AT = '2026-11-23T11:02:13.481Z';
const STATE: DeviceState = {
  v: 1,
  online: true,
  ext: '4711',
  agent: '0.1.0',
  panel: { hardwareId: 'usb-1', model: 'hanvisa-12', keys: 12, leds: 12, firmware: '1.0.0' },
  configVersion: 3,
};
const CONFIG: DeviceConfig = { v: 1, version: 4, ext: '4712', layout: { keys: [], leds: [] }, queues: [] };

type DeviceMessage = Message<'device-state' | 'device-config' | 'device-config-ack'>;

/** Retained device messages of a few devices, some of them clearing a topic (body null). */
const deviceMessage: fc.Arbitrary<DeviceMessage> = fc
  .tuple(
    fc.oneof(A.messageOf('device-state'), A.messageOf('device-config'), A.messageOf('device-config-ack')),
    fc.constantFrom('desk-1', 'desk-2', 'desk-3'),
    fc.boolean(),
  )
  .map(([m, deviceId, clear]) => ({ ...m, deviceId, ...(clear ? { body: null } : {}) }) as DeviceMessage);

describe('fleet', () => {
  it('holds the last retained value of each device topic, and forgets a device once all are cleared', () => {
    fc.assert(
      fc.property(fc.array(deviceMessage, { maxLength: 30 }), (messages) => {
        const fleet: Fleet = new Map();
        for (const m of messages) addToFleet(fleet, m);
        const part = {
          'device-state': 'state',
          'device-config': 'config',
          'device-config-ack': 'ack',
        } as const;
        for (const deviceId of ['desk-1', 'desk-2', 'desk-3']) {
          const last = (kind: keyof typeof part) =>
            messages.findLast((m) => m.deviceId === deviceId && m.kind === kind)?.body ?? undefined;
          const expected = {
            state: last('device-state'),
            config: last('device-config'),
            ack: last('device-config-ack'),
          };
          const standing = fleet.get(deviceId);
          if (!expected.state && !expected.config && !expected.ack) expect(standing).toBeUndefined();
          else
            expect({ state: standing?.state, config: standing?.config, ack: standing?.ack }).toEqual(
              expected,
            );
        }
      }),
    );
  });

  it('ignores messages that are not about device configuration', () => {
    const fleet: Fleet = new Map();
    addToFleet(fleet, {
      kind: 'device-cmd',
      org: 'o',
      deviceId: 'desk-1',
      body: { v: 1, id: 'c', cmd: 'restart' },
    });
    expect(fleet.size).toBe(0);
  });

  it('the next version is above every version the broker shows for the device', () => {
    fc.assert(
      fc.property(
        fc.option(A.deviceState, { nil: undefined }),
        fc.option(A.deviceConfig, { nil: undefined }),
        fc.option(A.deviceConfigAck, { nil: undefined }),
        (state, config, ack) => {
          const next = nextVersion({
            deviceId: 'd',
            ...(state && { state }),
            ...(config && { config }),
            ...(ack && { ack }),
          });
          const seen = [state?.configVersion ?? 0, config?.version ?? 0, ack?.version ?? 0];
          expect(next).toBe(Math.max(...seen) + 1);
        },
      ),
    );
    expect(nextVersion(undefined)).toBe(1);
  });
});

describe('how a device is listed', () => {
  const ack = (version: number, ok: boolean, reason?: string): DeviceConfigAck => ({
    v: 1,
    version,
    ok,
    at: AT,
    ...(reason ? { reason } : {}),
  });

  it('shows what was pushed against what the device answered', () => {
    const stand = (a?: DeviceConfigAck) =>
      configStanding(summarise({ deviceId: 'd', state: STATE, config: CONFIG, ...(a && { ack: a }) }));
    expect(stand(ack(4, true))).toBe('config 4 applied');
    expect(stand(ack(4, false, 'layout.keys: key 40 is not on this panel (12 keys)'))).toBe(
      'config 4 REFUSED: layout.keys: key 40 is not on this panel (12 keys); still runs config 3',
    );
    const refusedBy = (state?: DeviceState) =>
      configStanding(
        summarise({ deviceId: 'd', config: CONFIG, ack: ack(4, false, 'bad'), ...(state && { state }) }),
      );
    expect(refusedBy({ ...STATE, configVersion: 0 })).toBe('config 4 REFUSED: bad; still runs its file');
    expect(refusedBy()).toBe(
      'config 4 REFUSED: bad; which config it runs is not known (it has not announced itself)',
    );
    expect(stand(ack(3, true))).toBe('config 4 pending (runs 3)');
    expect(configStanding(summarise({ deviceId: 'd', state: STATE }))).toBe('runs config 3, none pushed');
    expect(configStanding(summarise({ deviceId: 'd', state: { ...STATE, configVersion: 0 } }))).toBe(
      'no config pushed, runs its file',
    );
    expect(configStanding(summarise({ deviceId: 'd' }))).toBe('no config pushed');
  });

  it('shows the warnings an online desk publishes about its panel', () => {
    const warned = {
      ...STATE,
      warnings: ['layout.leds: LED 9 is not on this panel (8 LEDs): its message lamp'],
    };
    const s = summarise({ deviceId: 'desk-4711', state: warned, config: undefined, ack: undefined });
    expect(s.warnings).toEqual(warned.warnings);
    expect(formatFleet([s])).toContain(
      'WARNING layout.leds: LED 9 is not on this panel (8 LEDs): its message lamp',
    );
  });

  it('summarises a device for scripts', () => {
    expect(
      summarise({ deviceId: 'desk-4711', state: STATE, config: CONFIG, ack: ack(4, false, 'no') }),
    ).toEqual({
      device: 'desk-4711',
      online: true,
      ext: '4711',
      model: 'hanvisa-12',
      keys: 12,
      leds: 12,
      hardwareId: 'usb-1',
      firmware: '1.0.0',
      agent: '0.1.0',
      configPushed: 4,
      configApplied: 3,
      ack: { version: 4, ok: false, reason: 'no' },
      warnings: [],
    });
    // After its will, a device is offline without a description: the pushed config still names the ext.
    expect(summarise({ deviceId: 'desk-9', state: { v: 1, online: false }, config: CONFIG })).toMatchObject({
      online: false,
      ext: '4712',
      model: null,
    });
  });

  it('prints one aligned line per device', () => {
    const text = formatFleet([
      summarise({ deviceId: 'desk-4711', state: STATE, config: CONFIG, ack: ack(4, true) }),
      summarise({ deviceId: 'desk-new', config: CONFIG }),
    ]);
    expect(text.split('\n')).toEqual([
      'desk-4711  online      ext 4711  hanvisa-12 12 keys 12 LEDs  agent 0.1.0, firmware 1.0.0  config 4 applied',
      'desk-new   never seen  ext 4712  no panel                    -                            config 4 pending',
      '',
    ]);
    expect(formatFleet([])).toBe('');
  });
});
