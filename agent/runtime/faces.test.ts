import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, DEFAULT_REASONS, type Presence } from '../../protocol/index.js';
import { keyFaces } from './faces.js';

const away = (reason: string, until: string | null): Presence =>
  ({
    status: 'away',
    reason,
    until,
    alt: null,
    since: '2026-12-02T10:00:00Z',
    by: { kind: 'desk', id: 'd' },
  }) as Presence;

describe('keyFaces', () => {
  it("captions every key; the return time shows under the key of the reason in force, in the org's zone", () => {
    const faces = keyFaces(
      DEFAULT_LAYOUT,
      away('lunch', '2026-12-02T12:00:00Z'),
      DEFAULT_REASONS,
      'Europe/Stockholm',
    );
    expect(faces).toHaveLength(12);
    const lunch = DEFAULT_LAYOUT.keys.find((k) => k.action.type === 'reason' && k.action.reason === 'lunch');
    expect(faces[lunch?.key ?? -1]).toEqual({ text: expect.stringContaining('Lunch'), detail: '13:00' });
    expect(faces.filter((f) => f.detail)).toHaveLength(1);
  });

  it('no return time: until further notice, available, or state unknown', () => {
    for (const p of [away('sick', null), undefined])
      expect(keyFaces(DEFAULT_LAYOUT, p, DEFAULT_REASONS, 'Europe/Stockholm').some((f) => f.detail)).toBe(
        false,
      );
  });
});
