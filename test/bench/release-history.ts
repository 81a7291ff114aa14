// vitest globalSetup of `npm run bench`: after the run, each ratio this run wrote beside the previous
// release's (test/bench/releases/), flagging any more than 20 % worse. BENCH_RECORD=<version> also
// stores this run's results as that release's record (RELEASES.md, "Making a release"), with
// BENCH_CONDITIONS saying what else shared the cores (default: the load average at the start).
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  compareRatios,
  formatComparison,
  mergeRecord,
  previousRelease,
  type ReleaseRecord,
} from '../support/bench-history.js';
import type { BenchResult } from './report.js';

const RESULTS = join(process.cwd(), 'bench-results');
const RECORDS = join(process.cwd(), 'test', 'bench', 'releases');

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function resultsSince(startedAt: number): Promise<BenchResult[]> {
  const names = await readdir(RESULTS).catch(() => [] as string[]);
  const results: BenchResult[] = [];
  for (const name of names.filter((file) => file.endsWith('.json')).sort()) {
    const result = await readJson<BenchResult>(join(RESULTS, name));
    if (result && Date.parse(result.at) >= startedAt) results.push(result);
  }
  return results;
}

export default function setup(): () => Promise<void> {
  const startedAt = Date.now();
  const conditions =
    process.env.BENCH_CONDITIONS ?? `load average ${loadavg()[0]?.toFixed(2)} when the run started`;
  return async () => {
    const results = await resultsSince(startedAt);
    if (results.length === 0) return;
    const releases = await readJson<{ releases: { version: string }[] }>(
      join(process.cwd(), 'releases.json'),
    );
    const recorded = new Set(
      (await readdir(RECORDS).catch(() => [] as string[])).map((file) => file.replace(/\.json$/, '')),
    );
    const recording = process.env.BENCH_RECORD;
    const previous = previousRelease(
      releases?.releases.map((release) => release.version) ?? [],
      recorded,
      recording,
    );
    const record = previous ? await readJson<ReleaseRecord>(join(RECORDS, `${previous}.json`)) : undefined;
    console.log(formatComparison(compareRatios(results, record), previous));
    if (recording) {
      const path = join(RECORDS, `${recording}.json`);
      const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      const merged = mergeRecord(
        await readJson<ReleaseRecord>(path),
        { version: recording, commit },
        results,
        conditions,
      );
      await mkdir(RECORDS, { recursive: true });
      await writeFile(path, `${JSON.stringify(merged, null, 2)}\n`);
      console.log(`[bench] recorded ${results.length} result(s) as release ${recording} (${path})`);
    }
  };
}
