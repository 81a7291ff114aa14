// Pure decisions around the device: IT's config, IT's commands, and what a desk starts from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PanelDescription } from '../../hardware/port.js';
import type { DeviceConfig } from '../../protocol/index.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { commandOutcome } from './commands.js';
import { type DeskSettings, decideConfig, rejectedConfigVersion } from './device-settings.js';
import { deskStart } from './restore.js';

const settings: DeskSettings = { version: 3, ext: '4711', layout: DEFAULT_LAYOUT, queues: [] };
const cfg = (over: Partial<DeviceConfig>): DeviceConfig => ({
  v: 1,
  version: 4,
  ext: '4711',
  layout: DEFAULT_LAYOUT,
  queues: [],
  ...over,
});
const panel: PanelDescription = {
  hardwareId: 'p1',
  model: 'test',
  keys: 12,
  leds: 12,
  reportsLongPress: false,
  colors: true,
};

describe('decideConfig', () => {
  it('ignores the applied version, refuses an older one, applies a newer valid one', () => {
    expect(decideConfig(cfg({ version: 3 }), settings, panel, DEFAULT_POLICY).kind).toBe('already-applied');
    expect(decideConfig(cfg({ version: 2 }), settings, panel, DEFAULT_POLICY)).toEqual({
      kind: 'stale',
      reason: 'version 2 is older than the applied version 3',
    });
    const applied = decideConfig(cfg({ ext: '4712', queues: ['main'] }), settings, panel, DEFAULT_POLICY);
    expect(applied).toEqual({
      kind: 'apply',
      settings: { version: 4, ext: '4712', layout: DEFAULT_LAYOUT, forwardTo: undefined, queues: ['main'] },
      extChanged: true,
    });
  });

  it('refuses a layout this panel or policy cannot carry, naming each problem', () => {
    const layout = {
      keys: [...DEFAULT_LAYOUT.keys, { key: 12, action: { type: 'reason' as const, reason: 'nap' } }],
      leds: DEFAULT_LAYOUT.leds,
    };
    expect(decideConfig(cfg({ layout }), settings, panel, DEFAULT_POLICY)).toEqual({
      kind: 'invalid',
      problems: [
        'layout.keys: key 12 is not on this panel (12 keys)',
        'layout.keys: key 12: unknown reason "nap"',
      ],
    });
  });

  it("refuses a forward to the desk's own extension or to the switchboard the org refuses (Grästorp)", () => {
    const policy = { ...DEFAULT_POLICY, switchboard: { numbers: ['0514-58000'], refuseForward: true } };
    expect(decideConfig(cfg({ forwardTo: '4711' }), settings, panel, policy)).toEqual({
      kind: 'invalid',
      problems: ["forwardTo: the desk's own extension"],
    });
    expect(decideConfig(cfg({ forwardTo: '051458000' }), settings, panel, policy)).toEqual({
      kind: 'invalid',
      problems: ["forwardTo: the switchboard's number, which the organisation refuses as a forward"],
    });
    expect(decideConfig(cfg({ forwardTo: '4712' }), settings, panel, policy).kind).toBe('apply');
  });
});

describe('rejectedConfigVersion', () => {
  it('property: never throws; a non-negative integer version when the payload has one, else 0', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const v = rejectedConfigVersion(Buffer.from(text));
        expect(Number.isInteger(v) && v >= 0).toBe(true);
      }),
    );
    expect(rejectedConfigVersion(Buffer.from('{"version":7,"layout":1}'))).toBe(7);
    expect(rejectedConfigVersion(Buffer.from('{"version":-1}'))).toBe(0);
  });
});

describe('deskStart', () => {
  const fromFile = { ...settings, version: 0 };
  const p = { v: 1 as const, status: 'available' as const, reason: null, since: '', until: null, alt: null };
  const presence = { ...p, seq: 5, by: { kind: 'desk' as const, id: 'd' }, at: '2026-11-25T11:00:00.000Z' };

  it('takes IT config over the file, and the presence only for the ext it was journalled under', () => {
    const dc = cfg({ ext: '4712' });
    const mine = deskStart(
      { kind: 'ok', entry: { v: 1, ext: '4712', presence, pending: true, deviceConfig: dc } },
      fromFile,
    );
    expect(mine.settings.ext).toBe('4712');
    expect(mine.lastConfig).toBe(dc);
    expect(mine.sync).toEqual({ presence, pending: true, mayAssumeAvailable: true });
    const other = deskStart(
      { kind: 'ok', entry: { v: 1, ext: '4711', presence, pending: true, deviceConfig: dc } },
      fromFile,
    );
    expect(other.sync.presence).toBeUndefined();
  });

  it('assumes nothing after a corrupt journal', () => {
    expect(deskStart({ kind: 'corrupt', error: 'x' }, fromFile).sync.mayAssumeAvailable).toBe(false);
    expect(deskStart({ kind: 'missing' }, fromFile).sync.mayAssumeAvailable).toBe(true);
  });
});

describe('commandOutcome', () => {
  const facts = {
    ext: '4711',
    configVersion: 3,
    panel,
    panelConnected: true,
    driver: 'virtual',
    rejections: 2,
    panelFaults: 1,
    updateFailures: 4,
  };
  it('identifies for the asked time, refuses a restart the runtime cannot do', () => {
    expect(commandOutcome({ v: 1, id: 'a', cmd: 'identify', seconds: 3 }, facts, false)).toEqual({
      ok: true,
      detail: 'identifying for 3 s',
      identifyMs: 3000,
    });
    expect(commandOutcome({ v: 1, id: 'b', cmd: 'restart' }, facts, false).ok).toBe(false);
    expect(commandOutcome({ v: 1, id: 'b', cmd: 'restart' }, facts, true)).toMatchObject({
      ok: true,
      restart: true,
    });
    const inv = JSON.parse(commandOutcome({ v: 1, id: 'c', cmd: 'inventory' }, facts, false).detail);
    expect(inv).toMatchObject({
      ext: '4711',
      configVersion: 3,
      rejections: 2,
      panelFaults: 1,
      updateFailures: 4,
      driver: 'virtual',
    });
  });
});
