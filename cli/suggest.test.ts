import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from './suggest.js';

const OPTIONS = ['people', 'departments', 'dry-run', 'prune', 'password-file', 'password-stdin', 'settle-ms'];

describe('did you mean', () => {
  it('names the option a typo is one or two edits from', () => {
    expect(closest('peple', OPTIONS)).toBe('people');
    expect(closest('dyr-run', OPTIONS)).toBe('dry-run');
    expect(closest('setle-ms', OPTIONS)).toBe('settle-ms');
    expect(closest('Prune', OPTIONS)).toBe('prune');
  });

  it('takes an abbreviation that fits one name only', () => {
    expect(closest('depart', OPTIONS)).toBe('departments');
    expect(closest('password', OPTIONS)).toBeUndefined();
  });

  it('suggests nothing for a word that is no typo of any', () => {
    expect(closest('frobnicate', OPTIONS)).toBeUndefined();
    expect(closest('x', ['list', 'acl'])).toBeUndefined();
    expect(didYouMean('frobnicate', OPTIONS)).toBe('');
  });

  it('says it the way the caller shows names', () => {
    expect(didYouMean('peple', OPTIONS, (o) => `--${o}`)).toBe(' (did you mean --people?)');
  });
});
