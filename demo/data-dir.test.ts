import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { claimDataDir, defaultDataDir } from './data-dir.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-data-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it('gives each broker port its own directory under the user state directory', () => {
  expect(defaultDataDir(1883, { XDG_STATE_HOME: '/s' })).toBe('/s/hanvisa/start-1883');
  expect(defaultDataDir(1884, { XDG_STATE_HOME: '/s' })).toBe('/s/hanvisa/start-1884');
  expect(defaultDataDir(1883, {})).toMatch(/\/\.local\/state\/hanvisa\/start-1883$/);
});

it('refuses a directory a running copy holds, naming its PID; takes over one a dead copy left', async () => {
  const data = join(dir, 'site');
  // the parent of this test runner is alive and is not us
  claimDataDir(data);
  await writeFile(join(data, 'lock'), `${process.ppid}\n`);
  expect(() => claimDataDir(data)).toThrow(
    `the data directory ${data} is in use by another hanvisa start (PID ${process.ppid}): stop that one, or give this copy its own with --data DIR`,
  );
  await writeFile(join(data, 'lock'), '2147483646\n'); // no such process
  const release = claimDataDir(data);
  expect(await readFile(join(data, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
  release();
  await expect(readFile(join(data, 'lock'), 'utf8')).rejects.toThrow('ENOENT');
});
