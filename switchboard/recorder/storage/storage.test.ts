// The storage contract: the same cases against SQLite (a temp file) and a real PostgreSQL server.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  available,
  recorded,
  SCENARIO_DAY,
  SCENARIO_ORG,
  scenarioEvents,
} from '../../../test/fixtures/recorder-scenario.js';
import { type Postgres, startPostgres } from '../../../test/support/postgres.js';
import { dayStart, nextDay } from '../figures/periods.js';
import { emptyRow } from '../figures/rows.js';
import { initialState } from '../figures/state.js';
import { Timeline } from '../figures/timeline.js';
import { recorderEvent } from '../recorded-events.js';
import { RecordsPlan } from '../records-plan.js';
import { liveTimeline, rollup } from '../rollup.js';
import { openStorage } from './open.js';
import type { Storage } from './port.js';
import { SCHEMA_VERSION } from './schema.js';

const TZ = 'Europe/Stockholm';
let dir: string;
let postgres: Postgres;
let databases = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-store-'));
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const ADAPTERS: [string, () => Promise<string>][] = [
  ['sqlite', async () => join(dir, `store-${++databases}.db`)],
  ['postgres', async () => postgres.createDatabase(`store_${++databases}`)],
];

describe.each(ADAPTERS)('%s storage', (dialect, location) => {
  const withStore = async (work: (s: Storage, where: string) => Promise<void>) => {
    const where = await location();
    const storage = await openStorage(where);
    try {
      expect(storage.dialect).toBe(dialect);
      await work(storage, where);
    } finally {
      await storage.close();
    }
  };

  test('migrations apply once: reopening the store finds the schema in place', async () => {
    await withStore(async (storage, where) => {
      await storage.append([recorded('presence', '1', { a: 1 }, '2026-12-02T08:00:00.000Z')]);
      const again = await openStorage(where);
      expect(await again.migrate()).toBe(SCHEMA_VERSION);
      expect(await again.orgs()).toEqual([SCENARIO_ORG]);
      await again.close();
    });
  });

  test('appends once per id, hands events back in receipt order with the recorder own', async () => {
    await withStore(async (storage) => {
      const a = recorded('presence', '2001', { n: 1 }, '2026-12-02T08:00:00.000Z');
      const b = recorded('mwi', '2001', { n: 2, text: 'å ä ö ø' }, '2026-12-02T08:00:01.000Z');
      const other = recorded('presence', '9', { n: 3 }, '2026-12-02T08:00:02.000Z', 'other');
      const up = recorderEvent(
        'up',
        's1',
        Date.parse('2026-12-02T07:59:00Z'),
        Date.parse('2026-12-02T07:59:00Z') * 1000,
      );
      expect(await storage.append([b, a, other, up])).toBe(4);
      expect(await storage.append([a, b])).toBe(0);
      const got = await storage.events(SCENARIO_ORG, 0, Number.MAX_SAFE_INTEGER);
      expect(got).toEqual([up, a, b]);
      expect(await storage.events(SCENARIO_ORG, a.ord + 1, b.ord)).toEqual([]);
      expect(await storage.firstOrd(SCENARIO_ORG)).toBe(a.ord);
      expect(await storage.lastOrd()).toBe(other.ord);
      expect((await storage.orgs()).sort()).toEqual(['grasto', 'other']);
    });
  });

  test("a person's operator changes: newest first by their own time, each once, desks' and others' left out", async () => {
    await withStore(async (storage) => {
      const change = (seq: number, minute: number, kind: string, id: string, reason: string | null) => ({
        v: 1,
        status: reason ? 'away' : 'available',
        reason,
        since: `2026-12-02T08:0${minute}:00.000Z`,
        until: null,
        alt: null,
        seq,
        by: { kind, id },
        at: `2026-12-02T08:0${minute}:00.000Z`,
      });
      const olle = change(1, 1, 'operator', 'olle', 'sick');
      const desk = change(2, 2, 'desk', 'desk-2001', null);
      const karin = change(3, 3, 'operator', 'karin', 'meeting');
      const at = (b: { at: string }) => b.at;
      await storage.append([
        recorded('presence', '2001', karin, at(karin)),
        recorded('presence', '2001', olle, at(olle)),
        recorded('presence', '2001', desk, at(desk)),
        // a restarted recorder records the retained value again, under another key and receipt
        { ...recorded('presence', '2001', karin, '2026-12-02T09:00:00.000Z'), at: Date.parse(at(karin)) },
        recorded('presence', '2002', change(1, 4, 'operator', 'olle', 'lunch'), '2026-12-02T08:04:00.000Z'),
        recorded('presence', '2001', change(1, 5, 'operator', 'olle', 'lunch'), at(olle), 'other'),
        recorded('mwi', '2001', { by: { kind: 'operator' } }, at(olle)),
        recorded('presence', '2001', null, '2026-12-02T08:06:00.000Z'),
      ]);
      expect(await storage.operatorChanges(SCENARIO_ORG, '2001', 20)).toEqual([karin, olle]);
      expect(await storage.operatorChanges(SCENARIO_ORG, '2001', 1)).toEqual([karin]);
      expect(await storage.operatorChanges(SCENARIO_ORG, '2003', 20)).toEqual([]);
    });
  });

  test('keeps recorder sessions: a heartbeat updates, a stop closes, the organisations recorded stay', async () => {
    await withStore(async (storage) => {
      await storage.upsertSession({ id: 's1', startedAt: 1000, lastSeen: 1000, stoppedAt: null });
      await storage.upsertSession({ id: 's1', startedAt: 1000, lastSeen: 5000, stoppedAt: null });
      await storage.upsertSession({
        id: 's2',
        startedAt: 9000,
        lastSeen: 9500,
        stoppedAt: 9500,
        orgs: ['a', 'b'],
      });
      expect(await storage.sessions()).toEqual([
        { id: 's1', startedAt: 1000, lastSeen: 5000, stoppedAt: null },
        { id: 's2', startedAt: 9000, lastSeen: 9500, stoppedAt: 9500, orgs: ['a', 'b'] },
      ]);
    });
  });

  test('a rollup of the seeded day stores what the reducer computes, and today replays live', async () => {
    await withStore(async (storage) => {
      await storage.append(scenarioEvents());
      const next = dayStart(nextDay(SCENARIO_DAY), TZ);
      const result = await rollup(storage, SCENARIO_ORG, next + 3600_000, 30);
      expect(result.days).toBe(1);
      const expected = new Timeline(initialState(SCENARIO_ORG, dayStart(SCENARIO_DAY, TZ)));
      for (const e of scenarioEvents()) expected.apply(e);
      expected.flush(next);
      const rows = await storage.daily({
        org: SCENARIO_ORG,
        fromDay: SCENARIO_DAY,
        toDay: SCENARIO_DAY,
        people: true,
      });
      const key = (r: { day: string; department: string; ext: string }) =>
        `${r.day}|${r.department}|${r.ext}`;
      expect(new Map(rows.map((r) => [key(r), r]))).toEqual(expected.rows);
      const deptOnly = await storage.daily({
        org: SCENARIO_ORG,
        fromDay: SCENARIO_DAY,
        toDay: SCENARIO_DAY,
        department: 'bygg',
      });
      expect(deptOnly.map((r) => [r.department, r.ext, r.unstaffed_s])).toEqual([['bygg', '', 3000]]);
      const alarms = await storage.alarms(SCENARIO_ORG, 0, next, 'soc');
      expect(alarms).toEqual([
        {
          org: SCENARIO_ORG,
          department: 'soc',
          kind: 'must-answer',
          startedAt: Date.parse('2026-12-02T11:00:00Z'),
          endedAt: Date.parse('2026-12-02T12:00:00Z'),
        },
      ]);
      // the next day: nothing new until an event, then the live replay sees it
      expect((await rollup(storage, SCENARIO_ORG, next + 3600_000, 30)).days).toBe(0);
      await storage.append([
        recorded(
          'presence',
          '2002',
          {
            v: 1,
            status: 'away',
            reason: 'sick',
            since: '2026-12-03T07:00:00.000Z',
            until: null,
            alt: null,
            seq: 9,
            by: { kind: 'operator', id: 'o' },
            at: '2026-12-03T07:00:00.000Z',
          },
          '2026-12-03T07:00:00.000Z',
        ),
      ]);
      const live = await liveTimeline(storage, SCENARIO_ORG, Date.parse('2026-12-03T08:00:00Z'));
      // a private reason: the department's figure, never the person's
      expect(live?.rows.get('2026-12-03|bygg|')?.reasons).toEqual({ sick: 1 });
      expect(live?.rows.get('2026-12-03|bygg|2002')?.reasons).toEqual({});
    });
  });

  test('every append moves the event marks; one older than the newest by more than LATE_ORD is late', async () => {
    await withStore(async (storage) => {
      expect(await storage.eventMarks()).toEqual({ seq: 0, high: 0, lateSeq: 0 });
      const at = (iso: string) => recorded('presence', '2001', available(iso), iso);
      await storage.append([at('2026-12-02T08:00:00.000Z'), at('2026-12-02T08:01:00.000Z')]);
      const first = await storage.eventMarks();
      expect(first).toMatchObject({ seq: 1, lateSeq: 0 });
      // a second recorder's batch a few seconds behind: in the held-back window, not late
      await storage.append([at('2026-12-02T08:00:55.000Z')]);
      expect(await storage.eventMarks()).toEqual({ seq: 2, high: first.high, lateSeq: 0 });
      // a batch kept while the store was away: late
      await storage.append([at('2026-12-02T07:59:00.000Z'), at('2026-12-02T08:02:00.000Z')]);
      const late = await storage.eventMarks();
      expect(late).toMatchObject({ seq: 3, lateSeq: 3 });
      expect(late.high).toBeGreaterThan(first.high);
      expect(await storage.rollupThrough('o')).toBeUndefined();
      await storage.saveRollup({ org: 'o', through: 5, state: {} }, [], []);
      expect(await storage.rollupThrough('o')).toBe(5);
    });
  });

  test('a failed rollup write changes nothing', async () => {
    await withStore(async (storage) => {
      await storage.saveRollup(
        { org: 'o', through: 5, state: { a: 1 } },
        [emptyRow('o', '2026-12-01', 'd', '')],
        [],
      );
      const bad = { ...emptyRow('o', '2026-12-02', 'd', ''), org: null as unknown as string };
      await expect(
        storage.saveRollup(
          { org: 'o', through: 9, state: { a: 2 } },
          [emptyRow('o', '2026-12-02', 'x', ''), bad],
          [],
        ),
      ).rejects.toThrow();
      expect(await storage.rollupState('o')).toEqual({ org: 'o', through: 5, state: { a: 1 } });
      expect(
        (await storage.daily({ org: 'o', fromDay: '2026-01-01', toDay: '2026-12-31' })).map((r) => r.day),
      ).toEqual(['2026-12-01']);
    });
  });

  test('the GDPR purge drops person rows and raw events, and keeps the department figures', async () => {
    await withStore(async (storage) => {
      await storage.append(scenarioEvents());
      const next = dayStart(nextDay(SCENARIO_DAY), TZ);
      await rollup(storage, SCENARIO_ORG, next, 30);
      // 31 days later the seeded day is past the 30 days kept
      const later = await rollup(storage, SCENARIO_ORG, next + 31 * 86_400_000, 30);
      expect(later.purged.rows).toBeGreaterThan(0);
      expect(later.purged.events).toBe(scenarioEvents().length - 1);
      const rows = await storage.daily({
        org: SCENARIO_ORG,
        fromDay: SCENARIO_DAY,
        toDay: SCENARIO_DAY,
        people: true,
      });
      expect(rows.every((r) => r.ext === '')).toBe(true);
      expect(rows.find((r) => r.department === 'bygg')?.referrals).toBe(4);
    });
  });

  test('a records plan exports the phone messages before their purge, keeps the referrals, purges the rest', async () => {
    await withStore(async (storage) => {
      const events = scenarioEvents();
      await storage.append(events);
      const next = dayStart(nextDay(SCENARIO_DAY), TZ);
      await rollup(storage, SCENARIO_ORG, next, 30);
      const archive = await mkdtemp(join(dir, 'archive-'));
      const plan = RecordsPlan.parse({
        archive,
        kinds: { messages: { action: 'export', days: 30, format: 'json' }, referrals: { action: 'keep' } },
      });
      // a clock 31 days on: the seeded day is past every kind's 30 days
      const later = next + 31 * 86_400_000;
      // an archive that cannot be written purges nothing: the run fails and is tried again
      const failing = () => {
        throw new Error('archive full');
      };
      await expect(rollup(storage, SCENARIO_ORG, later, 30, { plan, write: failing })).rejects.toThrow(
        'archive full',
      );
      const messages = events.filter((e) => e.kind === 'mwi-message');
      expect(
        await storage.eventsOfKinds(SCENARIO_ORG, ['mwi-message'], Number.MAX_SAFE_INTEGER),
      ).toHaveLength(messages.length);

      const result = await rollup(storage, SCENARIO_ORG, later, 30, { plan });
      expect(result.purged.exported).toHaveLength(1);
      const exported = JSON.parse(await readFile(result.purged.exported[0] as string, 'utf8'));
      expect(exported).toEqual(
        messages.map((m) => ({
          at: new Date(m.at).toISOString(),
          kind: m.kind,
          subject: m.subject,
          body: m.body,
        })),
      );
      const left = await storage.events(SCENARIO_ORG, 0, Number.MAX_SAFE_INTEGER);
      // kept: the referrals (and the recorder's own sessions, no organisation's)
      expect(new Set(left.map((e) => e.kind))).toEqual(new Set(['presence', 'recorder']));
      expect(left.filter((e) => e.kind === 'presence')).toHaveLength(
        events.filter((e) => e.kind === 'presence').length,
      );
      expect(result.purged.events).toBe(events.length - left.length);
    });
  });
});
