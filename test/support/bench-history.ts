// Each release's benchmark figures are kept in test/bench/releases/<version>.json, so a run can be read
// against the release before it: the same ratio (product ÷ bare transport, measured in the same run)
// beside the release's, flagged when it got more than 20 % worse. Ratios, not raw times, because the
// bare transport absorbs most of the difference between a quiet and a busy machine.
import type { BenchResult } from '../bench/report.js';

export interface ReleaseRecord {
  version: string;
  /** the commit the figures were measured on */
  commit: string;
  results: Record<string, BenchResult>;
  /** per bench: what else shared the cores, and the load average when its run started */
  conditions: Record<string, string>;
}

export interface RatioComparison {
  bench: string;
  key: string;
  now: number;
  previous: number | undefined;
  /** how much worse (positive) or better (negative) than the previous release, as a fraction */
  change: number | undefined;
  worse: boolean;
}

/** A ratio worse than the previous release's by more than this fraction is flagged. */
export const WORSE_THRESHOLD = 0.2;

/** Rates (…PerSecond) are better higher; every other figure (times, memory, counts) better lower. */
export function higherIsBetter(key: string): boolean {
  return key.endsWith('PerSecond');
}

export function compareRatios(
  now: readonly BenchResult[],
  previous: ReleaseRecord | undefined,
): RatioComparison[] {
  const rows: RatioComparison[] = [];
  for (const result of now) {
    const before = previous?.results[result.name]?.ratios ?? {};
    for (const [key, ratio] of Object.entries(result.ratios)) {
      const old = before[key];
      const change =
        old === undefined || old <= 0
          ? undefined
          : higherIsBetter(key)
            ? (old - ratio) / old
            : (ratio - old) / old;
      rows.push({
        bench: result.name,
        key,
        now: ratio,
        previous: old,
        change,
        worse: change !== undefined && change > WORSE_THRESHOLD,
      });
    }
  }
  return rows;
}

export function formatComparison(rows: readonly RatioComparison[], previous: string | undefined): string {
  const against = previous === undefined ? 'no earlier release recorded' : `release ${previous}`;
  const lines = [`ratios (product ÷ bare transport, same run) beside ${against}:`];
  for (const row of rows) {
    const old = row.previous === undefined ? '—' : row.previous.toFixed(3);
    const change =
      row.change === undefined
        ? ''
        : ` ${row.change >= 0 ? '+' : '−'}${Math.abs(row.change * 100).toFixed(0)} %`;
    const flag = row.worse ? `  WORSE by more than ${WORSE_THRESHOLD * 100} %` : '';
    lines.push(`  ${row.bench} ${row.key}: ${row.now.toFixed(3)} (was ${old})${change}${flag}`);
  }
  const worse = rows.filter((row) => row.worse).length;
  lines.push(worse === 0 ? '  none worse by more than 20 %' : `  ${worse} ratio(s) worse by more than 20 %`);
  return lines.join('\n');
}

/**
 * The record a run compares against: the newest release, in releases.json's order, that has a record
 * and is not the one being recorded now.
 */
export function previousRelease(
  versions: readonly string[],
  recorded: ReadonlySet<string>,
  recording?: string,
): string | undefined {
  for (let i = versions.length - 1; i >= 0; i -= 1) {
    const version = versions[i] as string;
    if (version !== recording && recorded.has(version)) return version;
  }
  return undefined;
}

/** A run of some benches replaces those benches in a release's record and keeps the others. */
export function mergeRecord(
  existing: ReleaseRecord | undefined,
  release: { version: string; commit: string },
  results: readonly BenchResult[],
  conditions: string,
): ReleaseRecord {
  const merged: ReleaseRecord = {
    ...release,
    results: { ...(existing?.results ?? {}) },
    conditions: { ...(existing?.conditions ?? {}) },
  };
  for (const result of results) {
    merged.results[result.name] = result;
    merged.conditions[result.name] = conditions;
  }
  return merged;
}
