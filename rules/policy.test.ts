import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS, KeyLayout, OrgInfo } from '../protocol/index.js';
import { DEFAULT_LAYOUT } from '../protocol/layouts.js';
import { DEFAULT_POLICY, policyFromOrg } from './policy.js';

describe('policyFromOrg', () => {
  it('keeps the defaults without an org', () => {
    expect(policyFromOrg(null)).toBe(DEFAULT_POLICY);
    expect(policyFromOrg(undefined)).toBe(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toMatchObject({
      timeZone: 'Europe/Stockholm',
      workday: { from: '08:00', to: '17:00' },
      workdays: [1, 2, 3, 4, 5],
      onReturn: 'overdue',
      stepMinutes: 15,
      longPressMs: 800,
      queueAlarmSeconds: 20,
    });
  });

  it("takes the org's zone, hours, return and callback rules and its own catalogue", () => {
    const org = OrgInfo.parse({
      v: 1,
      name: 'Guldborgsund',
      timeZone: 'Europe/Copenhagen',
      locale: 'da',
      workday: { from: '08:00', to: '15:00' },
      onReturn: 'reopen',
      callback: 'same-day',
      reasons: [DEFAULT_REASONS[0]],
    });
    const p = policyFromOrg(org);
    expect(p).toMatchObject({
      timeZone: 'Europe/Copenhagen',
      workday: { from: '08:00', to: '15:00' },
      onReturn: 'reopen',
      callback: 'same-day',
      stepMinutes: 15,
    });
    expect(p.reasons.map((r) => r.code)).toEqual(['lunch']);
  });

  it('falls back to the base catalogue and schema defaults when the org has none', () => {
    const org = OrgInfo.parse({ v: 1, name: 'Högsby', timeZone: 'Europe/Stockholm', locale: 'sv' });
    const p = policyFromOrg(org, { ...DEFAULT_POLICY, stepMinutes: 30 });
    expect(p.reasons).toBe(DEFAULT_REASONS);
    expect(p).toMatchObject({ onReturn: 'overdue', callback: 'next-working-day', stepMinutes: 30 });
  });
});

describe('DEFAULT_LAYOUT', () => {
  it('is a valid layout whose reason keys all exist in the default catalogue', () => {
    expect(KeyLayout.safeParse(DEFAULT_LAYOUT).success).toBe(true);
    const codes = DEFAULT_REASONS.map((r) => r.code);
    for (const { action } of DEFAULT_LAYOUT.keys)
      if (action.type === 'reason') expect(codes).toContain(action.reason);
    expect(DEFAULT_LAYOUT.keys.map((k) => k.key)).toEqual([...Array(12).keys()]);
    expect(DEFAULT_LAYOUT.leds.map((l) => l.led)).toEqual([...Array(12).keys()]);
  });
});
