import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceConfig } from '../../protocol/index.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import * as A from '../../test/support/arbitraries.js';
import { type ConfigChange, mergeConfig } from './config-merge.js';

const change: fc.Arbitrary<ConfigChange> = fc.record({
  ext: fc.option(A.ext, { nil: undefined }),
  layout: fc.option(fc.oneof(A.keyLayout, fc.constant('default' as const)), { nil: undefined }),
  forwardTo: fc.option(fc.option(A.ext, { nil: null }), { nil: undefined }),
  queues: fc.option(fc.array(A.queueId, { maxLength: 16 }), { nil: undefined }),
});

const config = (over: Partial<DeviceConfig>): DeviceConfig => ({
  v: 1,
  version: 3,
  ext: '4711',
  layout: DEFAULT_LAYOUT,
  queues: [],
  ...over,
});

describe('merging a change into the retained config', () => {
  it('takes what is given, keeps what is not, clears on null or [], and the contract accepts it', () => {
    fc.assert(
      fc.property(
        fc.option(A.deviceConfig, { nil: undefined }),
        change,
        fc.integer({ min: 1, max: 1e6 }),
        (before, c, version) => {
          const merged = mergeConfig(before ? { deviceId: 'd', config: before } : undefined, c, version);
          if (c.ext === undefined && before === undefined) {
            expect(merged).toEqual({ ok: false, reason: 'no config pushed to it yet: give its extension' });
            return;
          }
          if (!merged.ok) throw new Error(merged.reason);
          const after = merged.value.config;
          expect(DeviceConfig.parse(after)).toEqual(after);
          expect(after.version).toBe(version);
          expect(after.ext).toBe(c.ext ?? before?.ext);
          expect(after.layout).toEqual(
            c.layout === 'default' ? DEFAULT_LAYOUT : (c.layout ?? before?.layout ?? DEFAULT_LAYOUT),
          );
          expect(after.forwardTo).toBe(c.forwardTo === null ? undefined : (c.forwardTo ?? before?.forwardTo));
          expect('forwardTo' in after).toBe(after.forwardTo !== undefined);
          expect(after.queues).toEqual(c.queues ?? before?.queues ?? []);
          expect(merged.value.summary).toMatch(/^ext \d+/);
        },
      ),
    );
  });

  it('an empty change keeps everything, and says what it kept', () => {
    fc.assert(
      fc.property(A.deviceConfig, (before) => {
        const merged = mergeConfig({ deviceId: 'd', config: before }, {}, before.version + 1);
        expect(merged).toMatchObject({
          ok: true,
          value: { config: { ...before, version: before.version + 1 } },
        });
        const summary = merged.ok ? merged.value.summary : '';
        expect(summary).not.toContain('→');
        if (before.queues.length) expect(summary).toContain(`queues kept: ${before.queues.join(' ')}`);
        if (before.forwardTo) expect(summary).toContain(`forward-to kept: ${before.forwardTo}`);
      }),
    );
  });

  it('says what changed and what was kept', () => {
    const before = config({ forwardTo: '4799', queues: ['vaxel'] });
    const standing = { deviceId: 'd', config: before };
    const summary = (c: ConfigChange) => {
      const merged = mergeConfig(standing, c, 4);
      return merged.ok ? merged.value.summary : merged.reason;
    };
    expect(summary({ ext: '4712' })).toBe('ext 4711 → 4712; forward-to kept: 4799; queues kept: vaxel');
    expect(summary({ forwardTo: null, queues: [] })).toBe(
      'ext 4711; forward-to 4799 → none; queues vaxel → none',
    );
    expect(summary({ layout: { keys: [], leds: [] }, queues: ['a', 'b'] })).toBe(
      'ext 4711; layout replaced; forward-to kept: 4799; queues vaxel → a b',
    );
    const custom = { deviceId: 'd', config: config({ layout: { keys: [], leds: [] } }) };
    expect(mergeConfig(custom, {}, 4)).toMatchObject({ value: { summary: 'ext 4711; layout kept' } });
    expect(mergeConfig(custom, { layout: 'default' }, 4)).toMatchObject({
      value: { summary: 'ext 4711; layout → default', config: { layout: DEFAULT_LAYOUT } },
    });
    expect(mergeConfig(undefined, { ext: '5' }, 1)).toMatchObject({ value: { summary: 'ext 5' } });
  });

  it('builds on a refused config too, and says so', () => {
    const refused = {
      deviceId: 'd',
      config: config({ version: 5 }),
      ack: { v: 1 as const, version: 5, ok: false, reason: 'no', at: '2026-11-23T10:00:00.000Z' },
    };
    expect(mergeConfig(refused, { ext: '1' }, 6)).toMatchObject({
      value: { summary: 'ext 4711 → 1; based on config 5, which the device refused' },
    });
  });
});
