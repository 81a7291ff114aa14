// The operators' audit trail (issue 25) through a real Mosquitto, a real recorder and a real store
// (SQLite and PostgreSQL): two boards with the same users and session secret, each with its own handle
// on the recorder's store, as two processes behind one proxy are. Changes made through either board
// are one trail on both, in order and with who made them; a restarted board shows the same trail; a
// restarted recorder records the retained referral again but the trail shows it once, and names the
// time it was not recording. A board without the store says the trail is not kept.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import { createAuth, hashPassword, type User } from '../../switchboard/auth/index.js';
import type { AuditAnswer } from '../../switchboard/board/audit.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { type Recorder, startRecorder } from '../../switchboard/recorder/recorder.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
import { demoDirectory } from '../../switchboard/simulator/scenario.js';
import { type RecorderFixture, startRecorderFixture } from '../support/recorder-fixture.js';

const EXT = '2101';
const SECRET = 'audit-trail-boards-share-this-secret-32+';

let fixture: RecorderFixture;
let users: User[];
beforeAll(async () => {
  fixture = await startRecorderFixture('hanvisa-audit-');
  const hash = (password: string) => hashPassword(password, { N: 1024, r: 8, p: 1 });
  users = [
    {
      username: 'olle',
      name: 'Olle',
      role: 'operator',
      orgs: '*',
      passwordHash: await hash('olle-password'),
    },
    {
      username: 'karin',
      name: 'Karin',
      role: 'operator',
      orgs: '*',
      passwordHash: await hash('karin-password'),
    },
  ];
}, 60_000);
afterAll(() => fixture?.dispose());

/** An operator logged in on one board: a referral through it, and its trail for EXT. */
async function operator(board: Board, org: string, username: string) {
  const login = await fetch(new URL('/login', board.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-password` }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  return {
    async refer(body: object): Promise<Presence> {
      const res = await fetch(new URL(`/api/presence/${org}/${EXT}`, board.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { presence: Presence }).presence;
    },
    audit: () => fetch(new URL(`/api/audit/${org}/${EXT}`, board.url), { headers: { cookie } }),
    async trail(): Promise<AuditAnswer> {
      const res = await this.audit();
      expect(res.status).toBe(200);
      return (await res.json()) as AuditAnswer;
    },
  };
}

let n = 0;
describe.each([
  ['sqlite', async () => join(fixture.dir, `audit-${++n}.db`)],
  ['postgres', async () => fixture.postgres.createDatabase(`audit_${++n}`)],
])('the audit trail in %s', (_name, location) => {
  test('is one trail on both boards, survives a board and a recorder restart, and names the gap', async () => {
    const org = `audit-${++n}`;
    for (const m of demoDirectory(org)) await publishMessage(fixture.publisher, m);
    const where = await location();
    const stores: Storage[] = [];
    const boards: Board[] = [];
    let recorder: Recorder | undefined;
    const board = async () => {
      const storage = await openStorage(where);
      stores.push(storage);
      const started = await startBoard({
        brokerUrl: fixture.broker.url,
        port: 0,
        orgs: [org],
        auth: createAuth({ users, sessions: { secret: SECRET } }),
        stats: { storage },
      });
      boards.push(started);
      await vi.waitFor(() => expect(started.model.row(org, EXT)).toBeDefined(), { timeout: 10_000 });
      return started;
    };
    const record = async () => {
      const storage = await openStorage(where);
      stores.push(storage);
      const started = await startRecorder({
        brokerUrl: fixture.broker.url,
        storage,
        orgs: [org],
        batchMs: 20,
      });
      await started.ready;
      return started;
    };
    try {
      recorder = await record();
      const a = await board();
      const b = await board();
      const olleOnA = await operator(a, org, 'olle');
      const karinOnB = await operator(b, org, 'karin');
      const sick = await olleOnA.refer({ reason: 'sick', untilFurtherNotice: true });
      const meeting = await karinOnB.refer({ reason: 'meeting', until: '2026-12-31 15:30' });
      const open = await olleOnA.refer({ open: true });
      const expected = [
        { at: open.at, by: 'olle', reason: null, until: null },
        { at: meeting.at, by: 'karin', reason: 'meeting', until: meeting.until },
        { at: sick.at, by: 'olle', reason: 'sick', until: null },
      ];
      expect(meeting.until).toBe('2026-12-31T14:30:00.000Z');
      // the recorder stores in batches: once it has, both boards give the whole trail
      const stored = async () => (await stores[0]?.operatorChanges(org, EXT, 20))?.length ?? 0;
      await vi.waitFor(async () => expect(await stored()).toBe(3), { timeout: 10_000 });
      const karinOnA = await operator(a, org, 'karin');
      expect(await olleOnA.trail()).toEqual({ lines: expected, kept: true, unrecorded: [] });
      expect(await karinOnA.trail()).toEqual(await karinOnB.trail());
      expect((await karinOnB.trail()).lines).toEqual(expected);

      // A restarts: the same trail, the same login (one session secret)
      await a.close();
      const again = await board();
      expect(await (await operator(again, org, 'olle')).trail()).toEqual({
        lines: expected,
        kept: true,
        unrecorded: [],
      });

      // the recorder restarts: it records the retained referral again, the trail shows it once and
      // says when it was not recording
      const first = recorder;
      recorder = undefined;
      await first.close();
      recorder = await record();
      const presences = async () =>
        (await stores[0]?.events(org, 0, Number.MAX_SAFE_INTEGER))?.filter((e) => e.kind === 'presence')
          .length;
      await vi.waitFor(async () => expect(await presences()).toBe(4), { timeout: 10_000 });
      const [down, up] = (await stores[0]?.sessions()) ?? [];
      const gap = {
        from: new Date(down?.stoppedAt ?? 0).toISOString(),
        to: new Date(up?.startedAt ?? 0).toISOString(),
      };
      expect(await karinOnB.trail()).toEqual({ lines: expected, kept: true, unrecorded: [gap] });
      expect(await (await operator(again, org, 'karin')).trail()).toEqual(await karinOnB.trail());
    } finally {
      await recorder?.close();
      for (const started of boards) await started.close();
      for (const storage of stores) await storage.close();
    }
  }, 60_000);
});

test('a board without the recorder store says the trail is not kept, and shows only the current change', async () => {
  const org = 'audit-unkept';
  for (const m of demoDirectory(org)) await publishMessage(fixture.publisher, m);
  const board = await startBoard({
    brokerUrl: fixture.broker.url,
    port: 0,
    orgs: [org],
    auth: createAuth({ users, sessions: { secret: SECRET } }),
  });
  try {
    await vi.waitFor(() => expect(board.model.row(org, EXT)).toBeDefined(), { timeout: 10_000 });
    const olle = await operator(board, org, 'olle');
    expect(await olle.trail()).toEqual({ lines: [], kept: false, unrecorded: [] });
    await olle.refer({ reason: 'sick', untilFurtherNotice: true });
    const lunch = await olle.refer({ reason: 'lunch', until: '2026-12-31 13:00' });
    expect(await olle.trail()).toEqual({
      lines: [{ at: lunch.at, by: 'olle', reason: 'lunch', until: lunch.until }],
      kept: false,
      unrecorded: [],
    });
  } finally {
    await board.close();
  }
});

test('a store that cannot be read is a 503 that says so, logged, and the board serves on', async () => {
  const org = 'audit-unreadable';
  for (const m of demoDirectory(org)) await publishMessage(fixture.publisher, m);
  const storage = await openStorage(join(fixture.dir, 'unreadable.db'));
  const board = await startBoard({
    brokerUrl: fixture.broker.url,
    port: 0,
    orgs: [org],
    auth: createAuth({ users, sessions: { secret: SECRET } }),
    stats: { storage },
  });
  try {
    await vi.waitFor(() => expect(board.model.row(org, EXT)).toBeDefined(), { timeout: 10_000 });
    const olle = await operator(board, org, 'olle');
    expect((await olle.trail()).kept).toBe(true);
    await storage.close();
    const res = await olle.audit();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: expect.stringMatching(/^the recorder store cannot be read/),
      code: 'store-down',
    });
    expect((await fetch(new URL('/healthz', board.url))).status).toBe(200);
  } finally {
    await board.close();
  }
});
