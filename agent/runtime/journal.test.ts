import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import { readJournal, writeJournal } from './journal.js';

const minute = fc
  .integer({ min: Date.UTC(2020, 0, 1) / 60_000, max: Date.UTC(2040, 0, 1) / 60_000 })
  .map((m) => new Date(m * 60_000).toISOString());

const presence: fc.Arbitrary<Presence> = fc.oneof(
  fc.record({
    v: fc.constant(1 as const),
    status: fc.constant('available' as const),
    reason: fc.constant(null),
    since: minute,
    until: fc.constant(null),
    alt: fc.constant(null),
    seq: fc.nat(),
    by: fc.record({ kind: fc.constant('desk' as const), id: fc.constant('desk-1') }),
    at: minute,
  }),
  fc.record({
    v: fc.constant(1 as const),
    status: fc.constant('away' as const),
    reason: fc.constantFrom('lunch', 'meeting', 'sick'),
    since: minute,
    until: fc.option(minute, { nil: null }),
    alt: fc.option(fc.constant({ kind: 'info' as const }), { nil: null }),
    seq: fc.nat(),
    by: fc.record({ kind: fc.constantFrom('desk' as const, 'operator' as const), id: fc.constant('x') }),
    at: minute,
  }),
);

describe('journal', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-journal-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips every presence and leaves no temp file behind', () => {
    const path = join(dir, 'sub', 'journal.json');
    fc.assert(
      fc.property(presence, fc.boolean(), (p, pending) => {
        writeJournal(path, { v: 1, ext: '4711', presence: p, pending });
        const got = readJournal(path);
        expect(got).toEqual({ kind: 'ok', entry: { v: 1, ext: '4711', presence: p, pending } });
      }),
      { numRuns: 50 },
    );
    expect(readdirSync(join(dir, 'sub'))).toEqual(['journal.json']);
  });

  it('says missing, or corrupt with the reason, and never throws', async () => {
    expect(readJournal(join(dir, 'nope.json'))).toEqual({ kind: 'missing' });
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"v":1,"presence":');
    expect(readJournal(path)).toMatchObject({
      kind: 'corrupt',
      error: expect.stringMatching(/not valid JSON/),
    });
    await writeFile(
      path,
      JSON.stringify({ v: 1, ext: '4711', presence: { v: 1, status: 'away' }, pending: false }),
    );
    expect(readJournal(path)).toMatchObject({ kind: 'corrupt', error: expect.stringMatching(/presence/) });
    expect(readJournal(dir)).toMatchObject({ kind: 'corrupt' });
  });
});
