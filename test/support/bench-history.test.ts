import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.js';
import {
  compareRatios,
  formatComparison,
  mergeRecord,
  previousRelease,
  type ReleaseRecord,
} from './bench-history.js';

function result(name: string, ratios: Record<string, number>, at = '2026-12-07T12:00:00.000Z'): BenchResult {
  return {
    name,
    measured: {},
    baseline: {},
    ratios,
    machine: { node: 'v20', platform: 'linux', cpus: 2 },
    load: { average1m: 0.1 },
    at,
  };
}

function record(version: string, results: BenchResult[]): ReleaseRecord {
  return mergeRecord(undefined, { version, commit: 'abc' }, results, 'nothing else running');
}

describe('bench history', () => {
  it('flags a time ratio more than 20 % above the previous release, and not one within it', () => {
    const previous = record('0.2.0', [result('board', { coldStartMs: 1.5, pressP99Ms: 2 })]);
    const rows = compareRatios([result('board', { coldStartMs: 1.81, pressP99Ms: 2.39 })], previous);
    expect(rows.map((row) => [row.key, row.worse])).toEqual([
      ['coldStartMs', true],
      ['pressP99Ms', false],
    ]);
    expect(rows[0]?.change).toBeCloseTo(0.2067, 3);
  });

  it('counts a rate as worse when it falls, and better when it rises', () => {
    const previous = record('0.2.0', [result('ingest', { eventsPerSecond: 0.9 })]);
    expect(compareRatios([result('ingest', { eventsPerSecond: 0.7 })], previous)[0]?.worse).toBe(true);
    const better = compareRatios([result('ingest', { eventsPerSecond: 1.2 })], previous)[0];
    expect(better?.worse).toBe(false);
    expect(better?.change).toBeLessThan(0);
  });

  it('shows a ratio with no earlier figure without flagging it', () => {
    const rows = compareRatios([result('new-bench', { fooMs: 3 })], undefined);
    expect(rows).toEqual([
      { bench: 'new-bench', key: 'fooMs', now: 3, previous: undefined, change: undefined, worse: false },
    ]);
    expect(formatComparison(rows, undefined)).toContain('no earlier release recorded');
  });

  it('prints each ratio beside the release it compares with, and the count of worse ones', () => {
    const previous = record('0.2.0', [result('board', { coldStartMs: 1 })]);
    const text = formatComparison(compareRatios([result('board', { coldStartMs: 1.5 })], previous), '0.2.0');
    expect(text).toContain('beside release 0.2.0');
    expect(text).toContain('board coldStartMs: 1.500 (was 1.000) +50 %  WORSE by more than 20 %');
    expect(text).toContain('1 ratio(s) worse by more than 20 %');
  });

  it('compares with the newest recorded release that is not being recorded now', () => {
    const versions = ['0.1.0', '0.2.0', '0.3.0'];
    expect(previousRelease(versions, new Set(['0.1.0', '0.2.0']))).toBe('0.2.0');
    expect(previousRelease(versions, new Set(['0.2.0', '0.3.0']), '0.3.0')).toBe('0.2.0');
    expect(previousRelease(versions, new Set())).toBeUndefined();
  });

  it('a partial run replaces its own benches in a record and keeps the others', () => {
    const first = record('0.3.0', [result('a', { xMs: 1 }), result('b', { yMs: 2 })]);
    const merged = mergeRecord(
      first,
      { version: '0.3.0', commit: 'def' },
      [result('b', { yMs: 3 })],
      'load 0.2',
    );
    expect(merged.results.a?.ratios).toEqual({ xMs: 1 });
    expect(merged.results.b?.ratios).toEqual({ yMs: 3 });
    expect(merged.conditions).toEqual({ a: 'nothing else running', b: 'load 0.2' });
    expect(merged.commit).toBe('def');
  });
});
