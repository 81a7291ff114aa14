import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS, findReason } from '../../protocol/index.js';
import {
  canHandleMessage,
  canReferDepartment,
  canSeeMessages,
  canSeeOrg,
  canSetReferral,
  managesDepartment,
  visibleReason,
} from './access.js';

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

describe('what staff and managers may do', () => {
  const per = { role: 'staff' as const, orgs: ['mala'], ext: '4711' };
  const maja = { role: 'manager' as const, orgs: ['mala'], ext: '4712', departments: ['hemtjanst'] };
  const olle = { role: 'operator' as const, orgs: ['mala'] };

  it('lets staff set their own referral only, in their one organisation', () => {
    expect(canSetReferral(per, 'mala', '4711')).toBe(true);
    expect(canSetReferral(per, 'mala', '4712')).toBe(false);
    expect(canSetReferral(per, 'sorsele', '4711')).toBe(false);
    // a session claiming more than one organisation cannot tell whose 4711 it is: refused
    expect(canSetReferral({ ...per, orgs: ['mala', 'sorsele'] }, 'mala', '4711')).toBe(false);
    expect(canSetReferral({ ...per, orgs: '*' }, 'mala', '4711')).toBe(false);
    expect(canSetReferral({ role: 'viewer', orgs: ['mala'], ext: '4711' }, 'mala', '4711')).toBe(false);
    expect(canSetReferral(olle, 'mala', '4712')).toBe(true);
    expect(canSetReferral(olle, 'sorsele', '4712')).toBe(false);
    expect(canSetReferral(maja, 'mala', '4712')).toBe(true);
  });

  it('lets the recipient handle their message, staff only in their organisation', () => {
    expect(canHandleMessage(per, 'mala', '4711')).toBe(true);
    expect(canHandleMessage(per, 'sorsele', '4711')).toBe(false);
    expect(canHandleMessage(maja, 'mala', '4711')).toBe(false);
    expect(canHandleMessage({ role: 'viewer', orgs: '*', ext: '4711' }, 'mala', '4711')).toBe(true);
    expect(canHandleMessage(olle, 'mala', '4711')).toBe(true);
  });

  it('lets a manager refer their own departments only; operators any in their org', () => {
    expect(managesDepartment(maja, 'mala', 'hemtjanst')).toBe(true);
    expect(canReferDepartment(maja, 'mala', 'hemtjanst')).toBe(true);
    expect(canReferDepartment(maja, 'mala', 'skola')).toBe(false);
    expect(canReferDepartment(maja, 'sorsele', 'hemtjanst')).toBe(false);
    expect(canReferDepartment({ ...maja, role: 'staff' }, 'mala', 'hemtjanst')).toBe(false);
    expect(canReferDepartment(olle, 'mala', 'skola')).toBe(true);
    expect(canReferDepartment(olle, 'sorsele', 'skola')).toBe(false);
  });
});
