import { describe, expect, it } from 'vitest';
import { parseCsv } from '../directory/csv.js';
import { RECORDED_KINDS } from './recorded-events.js';
import { DATA_KINDS, exportText, RecordsPlan, ruleFor } from './records-plan.js';

describe('the records plan (issue 23)', () => {
  it('names every recorded kind in exactly one data kind: nothing escapes the plan', () => {
    const named = Object.values(DATA_KINDS).flat();
    expect(named.toSorted()).toEqual([...RECORDED_KINDS, 'call'].toSorted());
    expect(new Set(named).size).toBe(named.length);
  });

  it('defaults to purging every kind after --retention-days, as before a plan', () => {
    expect(ruleFor(undefined, 'messages', 30)).toEqual({ action: 'purge', days: 30 });
    const plan = RecordsPlan.parse({
      default: { action: 'keep' },
      kinds: { calls: { action: 'purge', days: 90 } },
    });
    expect(ruleFor(plan, 'messages', 30)).toEqual({ action: 'keep' });
    expect(ruleFor(plan, 'calls', 30)).toEqual({ action: 'purge', days: 90 });
  });

  it('refuses an export without an archive, an export of the figures, and unknown fields', () => {
    const issues = (value: unknown) =>
      RecordsPlan.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ kinds: { messages: { action: 'export', days: 30, format: 'csv' } } })).toEqual([
      'archive: an export needs the archive directory',
    ]);
    expect(
      issues({ archive: '/a', kinds: { figures: { action: 'export', days: 1, format: 'csv' } } }),
    ).toEqual(['kinds.figures: figures: purge or keep (export the events instead)']);
    expect(issues({ kinds: { mail: { action: 'keep' } } })?.[0]).toMatch(/^kinds: /);
  });

  it('exports CSV that reads back exactly, the body as JSON', () => {
    const events = [
      {
        at: Date.parse('2026-12-02T08:00:00Z'),
        kind: 'mwi-message',
        subject: '2001/m1',
        body: { text: 'Ring "Per", 070-1' },
      },
    ];
    const [header, row] = parseCsv(exportText(events, 'csv')).records.map((r) => r.fields);
    expect(header).toEqual(['at', 'kind', 'subject', 'body']);
    expect(row).toEqual([
      '2026-12-02T08:00:00.000Z',
      'mwi-message',
      '2001/m1',
      JSON.stringify(events[0]?.body),
    ]);
  });
});
