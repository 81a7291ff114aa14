import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, checkValue } from '../../config/json-file.js';
import { OrgInfo } from '../../protocol/index.js';
import { policyFromOrg } from '../../rules/policy.js';
import { endOfNextWorkday, startOfNextWorkday } from '../../rules/time.js';
import { loadOrgSettings, OrgSettingsFile, toOrgInfo } from './settings.js';

const NOW = new Date('2026-12-02T12:00:00Z');
const base = { name: 'Arjeplogs kommun', timeZone: 'Europe/Stockholm', locale: 'sv' };
const parse = (o: unknown) => toOrgInfo(checkValue(o, OrgSettingsFile, 'settings.json'), NOW);
const refusal = (o: unknown) => {
  try {
    parse(o);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigFileError);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('organisation settings file', () => {
  it.each(['examples/org-arjeplog.json', 'examples/org-guldborgsund.json'])('%s is valid', (file) => {
    const info = loadOrgSettings(file, NOW);
    expect(OrgInfo.parse(info)).toEqual(info);
    expect(info.holidays?.length).toBeGreaterThan(20);
  });

  it('resolves Swedish holidays with julafton and midsommarafton, plus extra days, for four years', () => {
    const info = parse({ ...base, holidays: { country: 'SE', extra: ['2026-12-23'] } });
    const days = new Set(info.holidays);
    for (const d of ['2026-06-19', '2026-12-24', '2026-12-25', '2026-12-31', '2027-03-26', '2028-06-23'])
      expect(days.has(d), d).toBe(true);
    expect(days.has('2026-12-23')).toBe(true); // the local extra day
    expect(days.has('2026-12-13')).toBe(false); // Lucia is an observance, a working day
    expect([...days].every((d) => d >= '2025-01-01' && d <= '2028-12-31')).toBe(true);
  });

  it('resolves Danish holidays, and a worked holiday is taken out', () => {
    const info = parse({ ...base, holidays: { country: 'DK', types: ['public'], worked: ['2026-05-14'] } });
    expect(info.holidays).toContain('2026-04-02'); // skærtorsdag
    expect(info.holidays).toContain('2026-05-25'); // anden pinsedag
    expect(info.holidays).not.toContain('2026-05-14');
  });

  it('refuses a bad file naming every bad field, and unknown fields', () => {
    const message = refusal({
      ...base,
      timeZone: 'Europe/Arjeplog',
      workdays: [1, 1],
      stepMinutes: 0,
      holidays: { country: 'NO', extra: ['2026-13-01'] },
      greetng: 'typo',
    });
    for (const field of [
      'timeZone',
      'workdays',
      'stepMinutes',
      'holidays.country',
      'holidays.extra[0]',
      'greetng',
    ])
      expect(message).toContain(field);
  });

  it('refuses what is not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hanvisa-settings-'));
    await writeFile(join(dir, 'org.json'), '{"name": ');
    expect(() => loadOrgSettings(join(dir, 'org.json'), NOW)).toThrow(/org\.json:1:10: not JSON/);
    await rm(dir, { recursive: true });
  });
});

describe('working-day rules with the published holidays', () => {
  const policy = policyFromOrg(parse({ ...base, holidays: { country: 'SE' }, callback: 'next-working-day' }));

  it('sick on 23 December is back on 28 December (julafton, juldagen, annandag and a weekend)', () => {
    const back = startOfNextWorkday(new Date('2026-12-23T09:00:00Z'), policy);
    expect(back.toISOString()).toBe('2026-12-28T07:00:00.000Z');
  });

  it('gone the day before midsommarafton is back on Monday', () => {
    const back = startOfNextWorkday(new Date('2026-06-18T14:00:00Z'), policy);
    expect(back.toISOString()).toBe('2026-06-22T06:00:00.000Z');
  });

  it("a callback taken on 30 December is due at the end of 2 January's working day... on 4 January", () => {
    // 31 Dec nyårsafton and 1 Jan are off, 2-3 Jan is a weekend: the next working day after 30 Dec is 4 Jan
    const due = endOfNextWorkday(new Date('2026-12-30T10:00:00Z'), policy);
    expect(due.toISOString()).toBe('2027-01-04T16:00:00.000Z');
  });

  it('round the clock (seven working days) still skips the holidays it lists', () => {
    const allWeek = policyFromOrg(
      parse({ ...base, workdays: [1, 2, 3, 4, 5, 6, 7], holidays: { extra: ['2026-12-05'] } }),
    );
    expect(startOfNextWorkday(new Date('2026-12-04T10:00:00Z'), allWeek).toISOString()).toBe(
      '2026-12-06T07:00:00.000Z',
    );
  });

  it('carries step, long press and queue threshold into the policy', () => {
    const p = policyFromOrg(parse({ ...base, stepMinutes: 30, longPressMs: 1200, queueAlarmSeconds: 40 }));
    expect(p).toMatchObject({ stepMinutes: 30, longPressMs: 1200, queueAlarmSeconds: 40 });
  });
});
