import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS, findReason } from '../../protocol/index.js';
import { canSeeMessages, canSeeOrg, visibleReason } from './access.js';

describe('what each role sees', () => {
  it('shows operators every reason and others private ones only as away', () => {
    for (const reason of DEFAULT_REASONS) {
      expect(visibleReason('operator', reason)).toBe(reason.code);
      const expected = reason.privacy === 'private' ? 'away' : reason.code;
      expect(visibleReason('viewer', reason)).toBe(expected);
      expect(visibleReason('it', reason)).toBe(expected);
    }
    expect(visibleReason('viewer', findReason('sick') ?? { code: 'x', privacy: 'public' })).toBe('away');
    expect(visibleReason('viewer', findReason('lunch') ?? { code: 'x', privacy: 'private' })).toBe('lunch');
  });

  it('shows message contents to operators and to the recipient only', () => {
    const wall = { orgs: '*' as const };
    const staff = { orgs: ['malå'.replace('å', 'a')], ext: '4711' };
    expect(canSeeMessages('operator', wall, '4711')).toBe(true);
    expect(canSeeMessages('viewer', wall, '4711')).toBe(false);
    expect(canSeeMessages('viewer', undefined, '4711')).toBe(false);
    expect(canSeeMessages('viewer', staff, '4711')).toBe(true);
    expect(canSeeMessages('viewer', staff, '4712')).toBe(false);
    expect(canSeeMessages('viewer', staff, '4711', 'mala')).toBe(true);
    expect(canSeeMessages('viewer', staff, '4711', 'sorsele')).toBe(false); // same number, other municipality
    expect(canSeeMessages('operator', { orgs: ['mala'] }, '4711', 'sorsele')).toBe(false);
  });

  it('limits users to their organisations', () => {
    expect(canSeeOrg({ orgs: '*' }, 'arjeplog')).toBe(true);
    expect(canSeeOrg({ orgs: ['arjeplog', 'mala'] }, 'mala')).toBe(true);
    expect(canSeeOrg({ orgs: ['arjeplog'] }, 'mala')).toBe(false);
  });
});
