// `hanvisa import` of a 25 MB people file, as shipped (dist/) in a process of its own, against a real
// Mosquitto: the file is read and published in pieces, so the process's peak memory stays far below
// what holding the file's rows takes (535 MB before, issue 25), and a second import of the same file
// finds every person unchanged on the broker.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProduct, HANVISA, ROOT } from '../support/build-product.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const MB = 1024 * 1024;
const FILE_MB = 25;
/**
 * What the import keeps, measured with full collections every 100 ms: per row its key and the
 * broker's fingerprint of that person (~70 MB for 217,000 rows on a broker that holds them all), never
 * the rows themselves. 4× the file; holding every row took 21×.
 */
const KEPT_MB = 4 * FILE_MB;
/**
 * The process's peak RSS as shipped (no forced collections): Node with mqtt.js and zod is ~85 MB for a
 * ten-row import; above what it keeps, V8 lets the garbage of 217,000 publishes pile up between full
 * collections (measured 200–320 MB in all). 16× the file stays clear of that and below the 535 MB (21×)
 * of holding every row; the bound that matters is KEPT_MB.
 */
const PEAK_MB = 16 * FILE_MB;

let broker: Mosquitto;
let dir: string;
let people: string;
let rows = 0;

beforeAll(async () => {
  const [started] = await Promise.all([startMosquitto(), buildProduct()]);
  broker = started;
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-import-memory-'));
  const lines = ['Anknytning;Namn;Avdelning;Titel;Direkt;Mobil;E-post'];
  const departments = ['kontaktcenter', 'socialtjanst', 'bygglov'];
  let size = 0;
  while (size < FILE_MB * MB) {
    const line = `${100000 + rows};Åsa Lindqvist ${rows};${departments[rows % 3]};Kommunvägledare;0512-55 20 01;070-312 10 40;asa.lindqvist.${rows}@sjovik.example`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
    rows++;
  }
  people = join(dir, 'people.csv');
  await writeFile(people, `${lines.join('\n')}\n`);
  // the child reports, when it exits, its peak as the kernel counts it and, with --expose-gc, the most
  // it kept: the heap right after full collections, every 100 ms
  await writeFile(
    join(dir, 'peak.mjs'),
    [
      'let kept = 0;',
      'if (globalThis.gc) setInterval(() => { globalThis.gc(); kept = Math.max(kept, process.memoryUsage().heapUsed); }, 100).unref();',
      "process.on('exit', () => process.stderr.write('peak ' + process.resourceUsage().maxRSS * 1024 + ' ' + kept + '\\n'));",
      '',
    ].join('\n'),
  );
}, 120_000);
afterAll(async () => {
  await broker?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Imports the file in a child process; `kept` (with `--expose-gc`): the most its heap held. */
async function importFile(node: string[] = []): Promise<{ stdout: string; peakMB: number; keptMB: number }> {
  const args = [...node, '--import', join(dir, 'peak.mjs'), HANVISA, 'import', '--broker', broker.url];
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [...args, '--org', 'stor', '--people', people, '--departments', 'examples/departments.csv'],
    { cwd: ROOT, env: { ...process.env, HANVISA_LOG: 'warn' }, maxBuffer: 16 * MB },
  );
  const [, peak, kept] = /^peak (\d+) (\d+)$/m.exec(stderr) ?? [];
  return { stdout, peakMB: Number(peak) / MB, keptMB: Number(kept) / MB };
}

describe('hanvisa import of a 25 MB file', () => {
  it('publishes every row, then finds them unchanged, with its peak memory bounded', async () => {
    const first = await importFile();
    expect(first.stdout).toContain(`${rows} rows, ${rows} valid`);
    expect(first.stdout).toMatch(new RegExp(`^published ${rows + 3}, unchanged 0, removed 0 `, 'm'));
    console.log(`25 MB import: peak RSS ${Math.round(first.peakMB)} MB (bound ${PEAK_MB} MB)`);
    expect(first.peakMB).toBeLessThan(PEAK_MB);

    const again = await importFile(['--expose-gc']);
    expect(again.stdout).toContain(`broker holds ${rows} people and 3 departments of stor`);
    expect(again.stdout).toMatch(new RegExp(`^published 0, unchanged ${rows + 3}, removed 0 `, 'm'));
    console.log(
      `25 MB re-import: peak RSS ${Math.round(again.peakMB)} MB, kept ${Math.round(again.keptMB)} MB (bound ${KEPT_MB} MB)`,
    );
    expect(again.keptMB).toBeLessThan(KEPT_MB);
  }, 300_000);
});
