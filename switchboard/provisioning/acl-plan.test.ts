import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAcl } from '../../protocol/index.js';
import * as A from '../../test/support/arbitraries.js';
import { type AclPlanOptions, parseServiceUser, planAcl } from './acl-plan.js';

const ORGS = ['alingsas', 'grastorp', 'lerum', 'vargarda'];
const NO_USERS: AclPlanOptions = {
  boards: [],
  switchboards: [],
  provisioning: ['provisioning'],
  recorders: [{ username: 'recorder', option: 'the default recorder user' }],
};

const rows = fc
  .uniqueArray(
    fc.record({
      // a device id is a broker username: unique across organisations, and not a service's
      deviceId: A.deviceId.filter((d) => !/^(board-|switchboard-|provisioning$|recorder$)/.test(d)),
      org: fc.constantFrom(...ORGS),
      ext: A.ext,
    }),
    { minLength: 1, maxLength: 12, selector: (r) => r.deviceId },
  )
  .map((rs) => rs.map((r, i) => ({ ...r, line: i + 2 })));

const render = (plan: ReturnType<typeof planAcl>) => {
  if (!plan.ok) throw new Error(plan.problems.join('\n'));
  return renderAcl(plan.value);
};
const blocks = (acl: string) => new Set(acl.trimEnd().split('\n\n'));

describe('one ACL for several organisations', () => {
  it('is the union of the single-organisation ACLs', () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const all = blocks(render(planAcl(rs, NO_USERS)));
        const orgs = new Set(rs.map((r) => r.org));
        const union = new Set(
          [...orgs].flatMap((org) => [
            ...blocks(
              render(
                planAcl(
                  rs.filter((r) => r.org === org),
                  { ...NO_USERS, org },
                ),
              ),
            ),
          ]),
        );
        expect(all).toEqual(union);
      }),
    );
  });

  it('gives no desk, board or switchboard a rule on another organisation', () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const orgOf = new Map(rs.map((r) => [r.deviceId, r.org]));
        for (const org of ORGS) orgOf.set(`board-${org}`, org).set(`switchboard-${org}`, org);
        const acl = render(planAcl(rs, NO_USERS));
        for (const block of acl.split('\n\n')) {
          const user = /^user (\S+)$/m.exec(block)?.[1];
          // provisioning and the default recorder act in every organisation, the same block in each
          if (user === undefined || user === 'provisioning' || user === 'recorder') continue;
          const org = orgOf.get(user);
          expect(org).toBeDefined();
          const topics = [...block.matchAll(/^topic \w+ (\S+)$/gm)].map((m) => m[1]);
          expect(topics.length).toBeGreaterThan(0);
          for (const topic of topics) expect(topic?.startsWith(`hanvisa/v1/${org}/`)).toBe(true);
        }
      }),
    );
  });

  it('names the rows and options of a username used twice, and a user for an organisation without desks', () => {
    const desks = [
      { line: 2, deviceId: 'desk-1', org: 'lerum', ext: '1' },
      { line: 3, deviceId: 'board-lerum', org: 'grastorp', ext: '2' },
    ];
    const user = (value: string) => {
      const parsed = parseServiceUser('board-user', value, undefined);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value;
    };
    expect(
      planAcl(desks, {
        ...NO_USERS,
        boards: [user('grastorp=desk-1'), user('alingsas=board-a')],
        provisioning: ['desk-1'],
      }),
    ).toEqual({
      ok: false,
      problems: [
        '--board-user alingsas=board-a: the devices file has no desk of alingsas',
        'username "desk-1" is both the device on line 2 and --board-user grastorp=desk-1',
        'username "board-lerum" is both the device on line 3 and the default board user of lerum',
        'username "desk-1" is both the device on line 2 and provisioning user desk-1',
      ],
    });
  });

  it('reads ORG=USER, and USER as --org’s', () => {
    expect(parseServiceUser('board-user', 'lerum=board-l', undefined)).toEqual({
      ok: true,
      value: { org: 'lerum', username: 'board-l', option: '--board-user lerum=board-l' },
    });
    expect(parseServiceUser('board-user', 'board-l', 'lerum')).toMatchObject({
      value: { org: 'lerum', username: 'board-l' },
    });
    expect(parseServiceUser('board-user', 'board-l', undefined)).toEqual({
      ok: false,
      reason: "--board-user board-l: which organisation's? give ORG=USER, or --org",
    });
    expect(parseServiceUser('switchboard-user', 'Lerum=s', undefined)).toEqual({
      ok: false,
      reason: '--switchboard-user Lerum=s: "Lerum" is not an organisation segment',
    });
  });
});
