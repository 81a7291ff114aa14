import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import { recorded } from '../../test/fixtures/recorder-scenario.js';
import { openStorage } from '../recorder/storage/open.js';
import type { Storage } from '../recorder/storage/port.js';
import { AUDIT_LINES, type AuditSource, auditTrail } from './audit.js';

const ORG = 'demo';
const EXT = '2101';
const HEARTBEAT = 30_000;
const minute = (m: number) => new Date(Date.UTC(2026, 10, 23, 8, m)).toISOString();
const presence = (at: string, by: Presence['by'], reason: string | null): Presence => ({
  v: 1,
  status: reason ? 'away' : 'available',
  reason,
  since: at,
  until: reason ? '2026-11-23T14:30:00.000Z' : null,
  alt: null,
  seq: 1,
  by,
  at,
});
const olle = { kind: 'operator', id: 'olle' } as const;
const desk = { kind: 'desk', id: 'desk-2101' } as const;
/** as the recorder stores a presence: its own time is the event's */
const stored = (p: Presence) => ({ ...recorded('presence', EXT, p, p.at, ORG), at: Date.parse(p.at) });

let dir: string;
let storage: Storage;
let source: AuditSource;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-audit-'));
  storage = await openStorage(join(dir, 'record.db'));
  source = { storage, heartbeatMs: HEARTBEAT };
});
afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

describe('audit trail', () => {
  it('without a store says it is not kept, and shows only the current referral an operator set', async () => {
    const current = presence(minute(0), olle, null);
    expect(await auditTrail(undefined, ORG, EXT, current, Date.parse(minute(1)))).toEqual({
      lines: [{ at: minute(0), by: 'olle', reason: null, until: null }],
      kept: false,
      unrecorded: [],
    });
    expect(await auditTrail(undefined, ORG, EXT, presence(minute(0), desk, 'lunch'), 0)).toEqual({
      lines: [],
      kept: false,
      unrecorded: [],
    });
  });

  it('reads the operators’ changes from the store newest first, at most AUDIT_LINES', async () => {
    // a gap older than the oldest line of a full trail hides nothing it shows: not named
    await storage.upsertSession({ id: 's0', startedAt: 0, lastSeen: 0, stoppedAt: Date.parse(minute(1)) });
    await storage.upsertSession({
      id: 's1',
      startedAt: Date.parse(minute(2)),
      lastSeen: Date.parse(minute(59)),
      stoppedAt: null,
    });
    await storage.append(
      Array.from({ length: AUDIT_LINES + 5 }, (_, i) => stored(presence(minute(i), olle, 'sick'))),
    );
    await storage.append([stored(presence(minute(40), desk, null))]);
    const answer = await auditTrail(
      source,
      ORG,
      EXT,
      presence(minute(40), desk, null),
      Date.parse(minute(59)),
    );
    expect(answer.kept).toBe(true);
    expect(answer.unrecorded).toEqual([]);
    expect(answer.lines).toHaveLength(AUDIT_LINES);
    expect(answer.lines[0]).toEqual({
      at: minute(24),
      by: 'olle',
      reason: 'sick',
      until: '2026-11-23T14:30:00.000Z',
    });
    expect(answer.lines.at(-1)?.at).toBe(minute(5));
  });

  it('shows the current change before the recorder has stored it, and once when it has', async () => {
    await storage.upsertSession({ id: 's1', startedAt: 0, lastSeen: Date.parse(minute(2)), stoppedAt: null });
    await storage.append([stored(presence(minute(0), olle, 'sick'))]);
    const current = presence(minute(1), { kind: 'operator', id: 'karin' }, null);
    const now = Date.parse(minute(2));
    const before = await auditTrail(source, ORG, EXT, current, now);
    expect(before.lines.map((l) => `${l.at} ${l.by}`)).toEqual([`${minute(1)} karin`, `${minute(0)} olle`]);
    await storage.append([stored(current)]);
    expect(await auditTrail(source, ORG, EXT, current, now)).toEqual(before);
  });

  it('names the times the recorder was down that the trail reaches into, newest first', async () => {
    await storage.append([stored(presence(minute(10), olle, 'sick'))]);
    const ms = (m: number) => Date.parse(minute(m));
    await storage.upsertSession({ id: 's0', startedAt: ms(0), lastSeen: ms(2), stoppedAt: ms(2) });
    await storage.upsertSession({ id: 's1', startedAt: ms(5), lastSeen: ms(15), stoppedAt: ms(15) });
    await storage.upsertSession({ id: 's2', startedAt: ms(20), lastSeen: ms(21), stoppedAt: null });
    // s2 stopped heartbeating at 21: three missed beats later it counts as down from there
    const answer = await auditTrail(source, ORG, EXT, null, ms(23));
    expect(answer.unrecorded).toEqual([
      { from: minute(21), to: null },
      { from: minute(15), to: minute(20) },
    ]);
    // the gap 2–5 is before the first event the store holds: nothing the trail could show was lost then
  });

  it('a store the recorder never ran against is one open gap with no start', async () => {
    expect((await auditTrail(source, ORG, EXT, null, 0)).unrecorded).toEqual([{ from: null, to: null }]);
  });
});
