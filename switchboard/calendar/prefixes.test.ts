import { describe, expect, it } from 'vitest';
import { matchPrefix, prefixRules } from './prefixes.js';

describe('calendar prefixes', () => {
  const all = prefixRules(['sv', 'da', 'en']);
  it.each([
    ['SAM: budgetmöte', 'meeting', 'budgetmöte'],
    ['sam:budget', 'meeting', 'budget'],
    ['  Sam  :  budget ', 'meeting', 'budget'],
    ['TJÄ: Stockholm', 'trip', 'Stockholm'],
    ['tjä: Stockholm', 'trip', 'Stockholm'],
    ['T J Ä: Stockholm', 'trip', 'Stockholm'],
    ['MØDE: udvalg', 'meeting', 'udvalg'],
    ['møde: udvalg', 'meeting', 'udvalg'],
    ['Ferie: Mallorca', 'vacation', 'Mallorca'],
    ['Meeting: board: Q3', 'meeting', 'board: Q3'],
  ])('%j refers with %s', (summary, reason, subject) => {
    expect(matchPrefix(summary, all)).toEqual({ reason, subject });
  });

  it.each(['Samverkan med skolan', 'Budget SAM: x', 'Gym', '', ':SAM'])('%j is not a referral', (summary) => {
    expect(matchPrefix(summary, all)).toBeUndefined();
  });

  it('takes only the languages asked for, and an organisation can add or redefine prefixes', () => {
    const sv = prefixRules(
      ['sv'],
      [
        { prefix: 'Utb', reason: 'course' },
        { prefix: 'sam', reason: 'out' },
      ],
    );
    expect(matchPrefix('MØDE: x', sv)).toBeUndefined();
    expect(matchPrefix('UTB: brandskydd', sv)?.reason).toBe('course');
    expect(matchPrefix('SAM: x', sv)?.reason).toBe('out');
  });
});
