// Benchmarks write one JSON file each to bench-results/, with the raw transport measured in the
// same run beside the product's figure, so a ratio survives a slower or faster machine.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BenchResult {
  name: string;
  /** the product's figures, in the units their keys say (…Ms, …MB, …PerSecond) */
  measured: Record<string, number>;
  /** the same figures for the bare transport (a plain mqtt.js client, an empty page …) */
  baseline: Record<string, number>;
  /** measured / baseline per key where both exist */
  ratios: Record<string, number>;
  /** the goals, for the reader; the benchmark does not fail on them */
  goals?: Record<string, string>;
  machine: { node: string; platform: string; cpus: number };
  /** what shared the cores: the 1-minute load average as the result was written, and BENCH_CONDITIONS
   * (absent in 0.2.0's record, measured before this field) */
  load?: { average1m: number; note?: string };
  at: string;
}

export async function writeBenchResult(
  name: string,
  measured: Record<string, number>,
  baseline: Record<string, number>,
  goals?: Record<string, string>,
): Promise<BenchResult> {
  const ratios: Record<string, number> = {};
  for (const [key, value] of Object.entries(measured)) {
    const base = baseline[key];
    if (base !== undefined && base > 0) ratios[key] = Number((value / base).toFixed(3));
  }
  const { availableParallelism, loadavg } = await import('node:os');
  const note = process.env.BENCH_CONDITIONS;
  const result: BenchResult = {
    name,
    measured,
    baseline,
    ratios,
    ...(goals ? { goals } : {}),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    load: { average1m: Number(loadavg()[0]?.toFixed(2)), ...(note ? { note } : {}) },
    at: new Date().toISOString(),
  };
  const dir = join(process.cwd(), 'bench-results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`[bench] ${name}`, JSON.stringify({ measured, baseline, ratios }));
  return result;
}

/** p-th percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** `${prefix}P50Ms` and `${prefix}P99Ms` of `values`, rounded to `digits` decimals. */
export function p50p99(prefix: string, values: readonly number[], digits = 2): Record<string, number> {
  const fixed = (n: number) => Number(n.toFixed(digits));
  return {
    [`${prefix}P50Ms`]: fixed(percentile(values, 50)),
    [`${prefix}P99Ms`]: fixed(percentile(values, 99)),
  };
}
