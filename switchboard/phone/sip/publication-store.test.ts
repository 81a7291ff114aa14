import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPublicationStore } from './publication-store.js';

const T0 = Date.parse('2026-12-07T10:00:00Z');

describe('SIP publication store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-pubstore-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const onDisk = async (file: string) => JSON.parse(await readFile(file, 'utf8')).publications;

  it('writes the answers of one moment together, and a restart reads back only what has not expired', async () => {
    const file = join(dir, 'a.json');
    let now = T0;
    const store = openPublicationStore(file, () => now);
    for (let i = 0; i < 1000; i++)
      store.save(String(4000 + i), { etag: `e${i}`, expiresAt: T0 + (i % 2 ? 60_000 : 3_600_000) });
    store.save('4000', undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(Object.keys(await onDisk(file))).toHaveLength(999);
    now = T0 + 120_000;
    const restarted = openPublicationStore(file, () => now);
    expect(restarted.loaded.size).toBe(499);
    expect(restarted.loaded.get('4002')).toEqual({ etag: 'e2', expiresAt: T0 + 3_600_000 });
  });

  it('flushes on close what the moment has not written yet', async () => {
    const file = join(dir, 'b.json');
    const store = openPublicationStore(file, () => T0);
    store.save('4711', { etag: 'x', expiresAt: T0 + 1000 });
    store.flush();
    expect(await onDisk(file)).toEqual({ 4711: { etag: 'x', expiresAt: T0 + 1000 } });
  });

  it('refuses a file that is not its own, naming it', async () => {
    const file = join(dir, 'c.json');
    await writeFile(file, 'nonsense');
    expect(() => openPublicationStore(file, () => T0)).toThrow(
      `the SIP adapter's publication state ${file} is not JSON`,
    );
    await writeFile(file, '{"v":1,"publications":{"4711":{"etag":""}}}');
    expect(() => openPublicationStore(file, () => T0)).toThrow(/fix or remove it/);
  });
});
