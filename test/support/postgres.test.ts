import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Postgres, startPostgres } from './postgres.js';

let server: Postgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.dispose();
});

test('a real PostgreSQL answers on its loopback port, and comes back after a restart', async () => {
  const url = await server.createDatabase('probe');
  const ask = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query('SELECT 40 + 2 AS answer')).rows[0].answer;
    } finally {
      await client.end();
    }
  };
  expect(await ask()).toBe(42);
  await server.stop();
  await server.start();
  expect(await ask()).toBe(42);
});
