// The names' order without the collator (state.ts compareNames) is the collator's: the shortcut that
// decides by the first letters that differ must agree on every pair, Swedish letters and combining marks included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collator, compareNames } from './state.js';

const letters = [
  ..."aAbBeEvVwWzZåÅäÄöÖüéøæ0123456789 -'",
  'A\u030A',
  'a\u0308',
  'o\u0308',
  'e\u0301',
  '\u00ad',
  '\u200d',
];
// names sharing a first name or a prefix, so that the letters after it decide
const prefixed = fc
  .tuple(
    fc.constantFrom('', 'Anna ', 'anna ', 'Ann', 'Erik', 'Å'),
    fc.array(fc.constantFrom(...letters), { maxLength: 5 }),
  )
  .map(([first, rest]) => first + rest.join(''));
const name = fc.oneof(
  fc.array(fc.constantFrom(...letters), { maxLength: 6 }).map((parts) => parts.join('')),
  prefixed,
  fc.string({ maxLength: 6 }),
  fc.constant('\uffff'),
);

describe('compareNames', () => {
  it('orders every pair of names as the collator does', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(Math.sign(compareNames(a, b))).toBe(Math.sign(collator.compare(a, b)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('sorts the Swedish letters after z, and decomposed Å as Å', () => {
    const names = [
      'Örjan',
      'Åsa',
      'zara',
      'Anna',
      'A\u030Ake',
      'Ärla',
      'bo',
      'Åke',
      'Anna Berg',
      'anna ek',
      'Annå',
    ];
    expect(names.sort(compareNames)).toEqual([...names].sort(collator.compare));
    expect(compareNames('A\u030Ake', 'zara')).toBeGreaterThan(0);
  });
});
