import { describe, expect, it } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import { AUDIT_LINES, AuditTrail } from './audit.js';

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

describe('audit trail', () => {
  it('keeps the operators’ changes newest first, at most AUDIT_LINES per person', () => {
    const trail = new AuditTrail();
    for (let i = 0; i < AUDIT_LINES + 5; i++)
      trail.record(
        'demo',
        '2101',
        presence(new Date(Date.UTC(2026, 10, 23, 8, i)).toISOString(), olle, 'sick'),
      );
    const lines = trail.linesFor('demo', '2101', null);
    expect(lines).toHaveLength(AUDIT_LINES);
    expect(lines[0]?.at).toBe('2026-11-23T08:24:00.000Z');
    expect(lines[0]).toMatchObject({ by: 'olle', reason: 'sick', until: '2026-11-23T14:30:00.000Z' });
    expect(trail.linesFor('demo', '2102', null)).toEqual([]);
  });

  it('after a restart the retained presence gives back the newest change, and a desk’s change none', () => {
    const fresh = new AuditTrail();
    const current = presence('2026-11-23T09:00:00.000Z', olle, null);
    expect(fresh.linesFor('demo', '2101', current)).toEqual([
      { at: '2026-11-23T09:00:00.000Z', by: 'olle', reason: null, until: null },
    ]);
    fresh.record('demo', '2101', current);
    expect(fresh.linesFor('demo', '2101', current)).toHaveLength(1);
    const desk = presence('2026-11-23T09:05:00.000Z', { kind: 'desk', id: 'desk-2101' }, 'lunch');
    expect(new AuditTrail().linesFor('demo', '2101', desk)).toEqual([]);
  });
});
