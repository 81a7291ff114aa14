// The SQLite writer thread's failures: a batch it cannot commit is refused (so the recorder keeps it,
// event-batch.ts), and the writer is usable again once the cause is gone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { recorderEvent } from '../recorded-events.js';
import { openStorage } from './open.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-writer-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const up = (session: string, ord: number) => recorderEvent('up', session, ord / 1000, ord);

test('a batch the writer cannot commit is refused, and the next one after the cause is gone is stored', async () => {
  const path = join(dir, 'locked.db');
  const storage = await openStorage(path);
  expect(await storage.append([up('a', 1000)])).toBe(1);
  // another connection holds the write lock past the writer's wait: the batch is refused, not lost
  const { default: Database } = await import('better-sqlite3');
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  const refused = storage.append([up('b', 2000)]);
  await expect(refused).rejects.toThrow(/locked|busy/i);
  other.exec('COMMIT');
  other.close();
  expect(await storage.append([up('b', 2000), up('c', 3000)])).toBe(2);
  expect((await storage.events('x', 0, 10_000)).map((e) => e.id)).toEqual([
    'recorder:a:up',
    'recorder:b:up',
    'recorder:c:up',
  ]);
  await storage.close();
}, 20_000);
