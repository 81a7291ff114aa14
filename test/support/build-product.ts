// Tests and benchmarks that run the product as shipped: dist/ built by `npm run build`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HANVISA = join(ROOT, 'dist', 'bin', 'hanvisa.js');
/** Preloaded into measured child processes: counts timer wake-ups and reports memory over IPC. */
export const PROBE = join(ROOT, 'test', 'bench', 'idle-probe.mjs');

/** Builds dist/; a type error elsewhere still emits, so the run goes on with what was built, and says so. */
export async function buildProduct(): Promise<void> {
  try {
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
      },
    );
  } catch (e) {
    console.warn('[bench] tsc -p tsconfig.build.json reported errors; measuring what it emitted', e);
  }
  if (!existsSync(HANVISA)) throw new Error(`${HANVISA} was not built`);
}
