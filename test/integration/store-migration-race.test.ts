// A board and a recorder starting together on one new (or just upgraded) store both migrate it: each
// must wait for the other and find the schema in place, never apply a version twice ("index already
// exists", SQLITE_BUSY). Separate processes, as in production, released at the same moment; several
// rounds, since one round may happen to serialise by luck.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCHEMA_VERSION } from '../../switchboard/recorder/storage/schema.js';
import { bundleMigrators, type Migrators } from '../support/migrators.js';
import { type Postgres, startPostgres } from '../support/postgres.js';

const ROUNDS = 10;
const PROCESSES = 6;

let migrators: Migrators;
let dir: string;
let postgres: Postgres;

beforeAll(async () => {
  [migrators, dir, postgres] = await Promise.all([
    bundleMigrators(),
    mkdtemp(join(tmpdir(), 'hanvisa-race-')),
    startPostgres(),
  ]);
});
afterAll(async () => {
  await Promise.all([migrators?.dispose(), rm(dir, { recursive: true, force: true }), postgres?.dispose()]);
});

const STORES: [string, (round: number) => Promise<string>][] = [
  ['a SQLite file', async (round) => join(dir, `race-${round}.db`)],
  ['a PostgreSQL database', async (round) => postgres.createDatabase(`race_${round}`)],
];

describe.each(STORES)('%s', (_, newStore) => {
  test(`${PROCESSES} processes migrating it at once all succeed, ${ROUNDS} rounds`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const results = await migrators.race(await newStore(round), PROCESSES);
      for (const { code, output } of results) {
        expect(output, `round ${round}`).toContain(`migrated ${SCHEMA_VERSION}`);
        expect(code, `round ${round}: ${output}`).toBe(0);
      }
    }
  }, 120_000);
});
