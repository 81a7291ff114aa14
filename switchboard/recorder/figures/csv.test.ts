// The CSV in its two forms: for Excel in the page's language (its headers, reason names and decimal
// mark) and for programs (keys and a decimal point); every line gives its first and last day; a
// private reason is never a person's column value.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_REASONS, LANGUAGES } from '../../../protocol/index.js';
import { SCENARIO_DAY, SCENARIO_ORG, scenarioEvents } from '../../../test/fixtures/recorder-scenario.js';
import { STATS_TEXT, statsText } from '../web/stats-text.js';
import { cell, reportCsv } from './csv.js';
import { dayStart, nextDay } from './periods.js';
import { reasonColumns, withPrivateReasonsHidden } from './reason-columns.js';
import { buildReport, type Period } from './report.js';
import { initialState } from './state.js';
import { Timeline } from './timeline.js';

const TZ = 'Europe/Stockholm';

function scenarioReport(period: Period, from = SCENARIO_DAY, to = SCENARIO_DAY) {
  const timeline = new Timeline(initialState(SCENARIO_ORG, dayStart(SCENARIO_DAY, TZ)));
  for (const e of scenarioEvents()) timeline.apply(e);
  timeline.flush(dayStart(nextDay(SCENARIO_DAY), TZ));
  return buildReport({
    org: SCENARIO_ORG,
    from,
    to,
    period,
    thresholdSeconds: 20,
    rows: [...timeline.rows.values()],
    alarms: [],
    gaps: [],
    people: true,
  });
}

const parse = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(';'));

describe('the statistics CSV', () => {
  const full = scenarioReport('day');
  const reasons = reasonColumns(full, DEFAULT_REASONS, 'sv');
  // groups of five: the private reasons show for the departments, never per person
  const seeded = withPrivateReasonsHidden(full, reasons, { total: 10, departments: { bygg: 5, soc: 5 } }, 5);
  // the seeded day's figures are whole minutes: give one a fraction
  const report = { ...seeded, total: seeded.total.map((f) => ({ ...f, overdueMinutesAvg: 12.5 })) };
  const names = { departments: { bygg: 'Bygglov', soc: 'Socialjour' }, people: { '2001': 'Anna Ek' } };

  test('for a Swedish Excel: Swedish headers, one column per reason by its name, decimal comma', () => {
    const text = (key: string) => statsText('sv', key, { s: 20 });
    const [head, ...lines] = parse(reportCsv(report, { reasons, ...names, human: { lang: 'sv', text } }));
    expect(head?.slice(0, 7)).toEqual([
      'Omfattning',
      'Avdelning',
      'Anknytning',
      'Namn',
      'Första dag',
      'Sista dag',
      'Min utan tillgänglig',
    ]);
    // in the catalogue's order, those recorded
    expect(head?.slice(-3)).toEqual(['Lunch', 'Sammanträde', 'Sjuk']);
    const bygg = lines.find((l) => l[0] === 'Avdelning' && l[1] === 'Bygglov');
    expect(bygg?.slice(4, 7)).toEqual([SCENARIO_DAY, SCENARIO_DAY, '50']);
    const anna = lines.find((l) => l[2] === '2001');
    expect(anna?.slice(0, 4)).toEqual(['Person', 'Bygglov', '2001', 'Anna Ek']);
    expect(lines.find((l) => l[0] === 'Organisationen')).toContain('12,5');
  });

  test('a private reason has no value per person, only in the department', () => {
    const [head, ...lines] = parse(reportCsv(report, { reasons, ...names }));
    const sick = head?.indexOf('reason:sick') ?? -1;
    expect(sick).toBeGreaterThan(0);
    expect(lines.find((l) => l[0] === 'department' && l[1] === 'soc')?.[sick]).toBe('1');
    expect(lines.find((l) => l[2] === '3001')?.[sick]).toBe('');
  });

  test('a group smaller than the minimum: no private reason, and the referrals leave it out', () => {
    // Socialjour has two people, the organisation seven: below five, sick is no one's figure
    const small = withPrivateReasonsHidden(full, reasons, { total: 7, departments: { bygg: 5, soc: 2 } }, 5);
    const [head, ...lines] = parse(reportCsv(small, { reasons, ...names }));
    const column = (key: string) => head?.indexOf(key) ?? -1;
    const soc = lines.find((l) => l[0] === 'department' && l[1] === 'soc');
    expect(soc?.[column('reason:sick')]).toBe('');
    expect(soc?.[column('referrals')]).toBe('0');
    // the organisation of seven shows it; a department of five too
    expect(lines.find((l) => l[0] === 'total')?.[column('reason:sick')]).toBe('1');
    expect(lines.find((l) => l[0] === 'total')?.[column('referrals')]).toBe('5');
    const tiny = withPrivateReasonsHidden(full, reasons, { total: 4, departments: { bygg: 2, soc: 2 } }, 5);
    expect(tiny.overall).toMatchObject({ referrals: 4, privateHidden: true });
    expect(tiny.overall.byReason).toEqual({ lunch: 2, meeting: 2 });
  });

  test('for programs: keys as headers and a decimal point', () => {
    const [head, ...lines] = parse(reportCsv(report, { reasons, ...names }));
    expect(head?.slice(0, 7)).toEqual([
      'scope',
      'department',
      'ext',
      'name',
      'firstDay',
      'lastDay',
      'unstaffedMinutes',
    ]);
    expect(lines.find((l) => l[0] === 'total')).toContain('12.5');
    expect(lines.find((l) => l[0] === 'department' && l[1] === 'bygg')?.slice(4, 7)).toEqual([
      SCENARIO_DAY,
      SCENARIO_DAY,
      '50',
    ]);
  });

  test('every line says its days the same way: a week cut by the range, a person over the range', () => {
    const week = scenarioReport('week', '2026-12-01', '2026-12-09');
    const [, ...lines] = parse(reportCsv(week, { reasons: [], departments: {}, people: {} }));
    for (const l of lines) {
      expect(l[4]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(l[5]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // the seeded Wednesday's ISO week starts on Monday 30 November, cut at the range's first day
    expect(lines.find((l) => l[0] === 'total')?.slice(4, 6)).toEqual(['2026-12-01', '2026-12-06']);
    expect(lines.find((l) => l[0] === 'person')?.slice(4, 6)).toEqual(['2026-12-01', '2026-12-09']);
  });

  test('the page and the CSV have every text in Swedish, Danish and English', () => {
    const keys = (lang: (typeof LANGUAGES)[number]) => Object.keys(STATS_TEXT[lang]).sort();
    for (const lang of LANGUAGES) expect(keys(lang)).toEqual(keys('sv'));
  });

  test('a cell that a spreadsheet would read as a formula starts with a quote (OWASP: = + - @ tab CR)', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string(), (first, rest) => {
        const text = cell(first + rest).replace(/^"/, '');
        expect(text.startsWith(`'${first}`)).toBe(true);
      }),
    );
    expect(cell('Anna Ek')).toBe('Anna Ek');
    expect(cell('\tSUM(A1)')).toBe("'\tSUM(A1)");
    expect(cell('\rSUM(A1)')).toBe('"\'\rSUM(A1)"');
  });
});
