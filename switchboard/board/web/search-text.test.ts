// A row's search text after a change (state.ts searchTextAfter) equals the text built afresh: the
// shortcut that keeps the person's folded words when only the status or reason changed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WholeRow, wholeRow } from '../wire-rows.js';
import { searchText, searchTextAfter } from './state.js';

const presence = fc.record({
  status: fc.constantFrom('away' as const, 'available' as const, null),
  reason: fc.constantFrom('lunch', 'sick', 'meeting', 'away', 'private-code', null),
});
const person = fc.record({
  name: fc.constantFrom('Åsa Ek', 'Søren Ærø', 'ΣΩΣ Papadopoulos', null),
  title: fc.constantFrom('Enhetschef', null),
  department: fc.constantFrom('social', null),
  keywords: fc.constantFrom(['Bygglov', 'strandskydd'], ['Bygglov'], undefined),
});
const row = (p: { name: string | null }, s: object): WholeRow =>
  wholeRow({ org: 'grastorp', ext: '2101', ...p, ...s } as Parameters<typeof wholeRow>[0]);

describe('search text after a change', () => {
  it('equals the text built afresh, whatever changed', () => {
    fc.assert(
      fc.property(person, presence, person, presence, (p1, s1, p2, s2) => {
        const old = row(p1, s1);
        const next = row(p2, s2);
        expect(searchTextAfter(old, searchText(old), next)).toBe(searchText(next));
      }),
    );
  });

  it('builds afresh when there is no earlier text (the index not yet filled)', () => {
    const next = row({ name: 'Åsa Ek' }, { status: 'away', reason: 'lunch' });
    expect(searchTextAfter(next, undefined, next)).toBe(searchText(next));
  });
});
