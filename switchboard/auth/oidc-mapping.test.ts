import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OidcConfig } from './oidc-config.js';
import { extensionOf, mapClaims, ROLE_STRENGTH } from './oidc-mapping.js';

const config = OidcConfig.parse({
  issuer: 'https://login.example/tenant/v2.0',
  clientId: 'hanvisa',
  clientSecretFile: '/etc/hanvisa/oidc-secret',
  redirectUri: 'https://vaxel.example/login/callback',
  claims: { ext: 'telephoneNumber', extLastDigits: 4 },
  roles: [
    { group: 'g-op-mala', role: 'operator', orgs: ['mala'] },
    { group: 'g-op-sorsele', role: 'operator', orgs: ['sorsele'] },
    { group: 'g-staff-mala', role: 'staff', orgs: ['mala'] },
    { group: 'g-staff-sorsele', role: 'staff', orgs: ['sorsele'] },
    { group: 'g-chef-hemtjanst', role: 'manager', orgs: ['mala'], departments: ['hemtjanst'] },
    { group: 'g-wall', role: 'viewer', orgs: '*' },
  ],
});
const person = (groups: string[], extra: Record<string, unknown> = {}) => ({
  preferred_username: 'Per.Lind@Mala.se',
  name: 'Per Lind',
  groups,
  telephoneNumber: '0953-141 47 11',
  ...extra,
});

describe('claims to a hanvisa user', () => {
  it('maps a group to its role, the username lower-cased, the extension from the number', () => {
    expect(mapClaims(person(['other', 'g-staff-mala']), config)).toEqual({
      ok: true,
      user: { username: 'per.lind@mala.se', name: 'Per Lind', role: 'staff', orgs: ['mala'], ext: '4711' },
    });
  });

  it('gives the strongest role, with the organisations of its entries', () => {
    const mapped = mapClaims(person(['g-staff-mala', 'g-op-mala', 'g-op-sorsele', 'g-wall']), config);
    expect(mapped).toMatchObject({ ok: true, user: { role: 'operator', orgs: ['mala', 'sorsele'] } });
    expect(mapClaims(person(['g-staff-mala', 'g-chef-hemtjanst']), config)).toMatchObject({
      ok: true,
      user: { role: 'manager', orgs: ['mala'], departments: ['hemtjanst'] },
    });
  });

  it('refuses no mapped group, staff without an extension, staff of two organisations', () => {
    expect(mapClaims(person(['all-staff']), config)).toMatchObject({ ok: false, reason: 'oidc-no-role' });
    expect(mapClaims(person(['g-staff-mala'], { telephoneNumber: undefined }), config)).toMatchObject({
      ok: false,
      reason: 'oidc-mapping',
    });
    // the same number is someone else in the other municipality: which one is theirs cannot be told
    expect(mapClaims(person(['g-staff-mala', 'g-staff-sorsele']), config)).toMatchObject({
      ok: false,
      reason: 'oidc-mapping',
    });
    expect(mapClaims(person(['g-wall'], { preferred_username: 'not a name' }), config)).toMatchObject({
      ok: false,
      reason: 'oidc-username',
    });
  });

  it('never gives a role no mapped group of the person has (any groups)', () => {
    const groups = fc.subarray([...config.roles.map((r) => r.group), 'x', 'y']);
    fc.assert(
      fc.property(groups, (gs) => {
        const mapped = mapClaims(person(gs), config);
        if (!mapped.ok) return;
        const held = config.roles.filter((r) => gs.includes(r.group));
        expect(held.map((r) => r.role)).toContain(mapped.user.role);
        // and none stronger was passed over
        const rank = ROLE_STRENGTH.indexOf(mapped.user.role);
        expect(held.every((r) => ROLE_STRENGTH.indexOf(r.role) >= rank)).toBe(true);
      }),
    );
  });

  it('takes the extension from a number only when it has the digits', () => {
    expect(extensionOf('0512-55 21 01', 4)).toBe('2101');
    expect(extensionOf('2101')).toBe('2101');
    expect(extensionOf('12', 4)).toBeUndefined();
    expect(extensionOf(undefined)).toBeUndefined();
    expect(extensionOf('none')).toBeUndefined();
  });
});

describe('the OIDC file', () => {
  it('refuses a staff mapping across organisations and a manager without departments', () => {
    const bad = OidcConfig.safeParse({
      ...config,
      roles: [
        { group: 'a', role: 'staff', orgs: ['mala', 'sorsele'] },
        { group: 'b', role: 'manager', orgs: ['mala'] },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['roles.0', 'roles.1']);
  });
});
