import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterFor, RECORDER_READS, renderAcl } from '../../protocol/index.js';
import * as A from '../../test/support/arbitraries.js';
import { type AclPlanOptions, parseServiceUser, planAcl } from './acl-plan.js';

const ORGS = ['alingsas', 'grastorp', 'lerum', 'vargarda'];
const NO_USERS: AclPlanOptions = { services: {}, provisioning: ['provisioning'] };

const rows = fc
  .uniqueArray(
    fc.record({
      // a device id is a broker username: unique across organisations, and not a service's
      deviceId: A.deviceId.filter((d) => !/^(board-|switchboard-|calendar-|recorder$|provisioning$)/.test(d)),
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
/** Every grant as `user access filter`: one account serving several organisations is their union. */
const grants = (acl: string) =>
  new Set(
    acl
      .trimEnd()
      .split('\n\n')
      .flatMap((block) => {
        const user = /^user (\S+)$/m.exec(block)?.[1];
        return [...block.matchAll(/^topic (\w+ \S+)$/gm)].map((m) => `${user} ${m[1]}`);
      }),
  );

describe('one ACL for several organisations', () => {
  it('is the union of the single-organisation ACLs', () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const all = grants(render(planAcl(rs, NO_USERS)));
        const orgs = new Set(rs.map((r) => r.org));
        const union = new Set(
          [...orgs].flatMap((org) => [
            ...grants(
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

  it('gives no desk or service of one organisation a rule on another', () => {
    fc.assert(
      fc.property(rows, (rs) => {
        const orgOf = new Map(rs.map((r) => [r.deviceId, r.org]));
        for (const org of ORGS)
          for (const service of ['board', 'switchboard', 'calendar']) orgOf.set(`${service}-${org}`, org);
        const acl = render(planAcl(rs, NO_USERS));
        for (const block of acl.split('\n\n')) {
          const user = /^user (\S+)$/m.exec(block)?.[1];
          // the default recorder reads every organisation of the file, as provisioning acts in each
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
        services: { board: [user('grastorp=desk-1'), user('alingsas=board-a')] },
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

describe('every account the docs create', () => {
  const desks = [
    { line: 2, deviceId: 'desk-1', org: 'lerum', ext: '1' },
    { line: 3, deviceId: 'desk-2', org: 'grastorp', ext: '2' },
  ];
  const users = (option: string, ...values: string[]) =>
    values.map((value) => {
      const parsed = parseServiceUser(option, value, undefined);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value;
    });
  const blockOf = (acl: string, user: string) =>
    acl.split('\n\n').find((b) => b.includes(`\nuser ${user}\n`)) ?? '';

  it('renders a calendar bridge per organisation and one recorder reading every organisation by default', () => {
    const acl = render(planAcl(desks, NO_USERS));
    expect(blockOf(acl, 'calendar-lerum')).toContain('topic readwrite hanvisa/v1/lerum/presence/+\n');
    expect(blockOf(acl, 'calendar-grastorp')).toContain('topic write hanvisa/v1/grastorp/calendar/+');
    // what it records in each organisation (RECORDER_READS), reading only
    const recorder = [...blockOf(acl, 'recorder').matchAll(/^topic .*$/gm)].map((m) => m[0]);
    for (const org of ['grastorp', 'lerum'])
      expect(recorder).toEqual(
        expect.arrayContaining(RECORDER_READS.map((kind) => `topic read ${filterFor(kind, org)}`)),
      );
    expect(recorder).toHaveLength(2 * RECORDER_READS.length);
    // the settings publisher and the import are the provisioning user's jobs unless named
    expect(acl).not.toMatch(/^user (org|import)/m);
  });

  it('names each account by option; one name for two organisations is one account with both', () => {
    const plan = planAcl(desks, {
      ...NO_USERS,
      services: {
        switchboard: users('switchboard-user', 'lerum=phone-site', 'grastorp=phone-site'),
        recorder: users('recorder-user', 'lerum=rec-lerum'),
        calendar: users('calendar-user', 'grastorp=cal-g'),
        org: users('org-user', 'lerum=org-lerum'),
        import: users('import-user', 'lerum=import-lerum'),
      },
    });
    const acl = render(plan);
    const phone = blockOf(acl, 'phone-site');
    expect(phone).toContain('topic readwrite hanvisa/v1/grastorp/queue/+');
    expect(phone).toContain('topic readwrite hanvisa/v1/lerum/queue/+');
    expect(acl.match(/^user phone-site$/gm)).toHaveLength(1);
    expect(acl).not.toMatch(/^user switchboard-/m);
    // a recorder named for lerum only: grastorp keeps the default one
    expect(blockOf(acl, 'rec-lerum')).toMatch(/^topic read hanvisa\/v1\/lerum\/presence\/\+$/m);
    expect(blockOf(acl, 'recorder')).not.toContain('lerum');
    expect(blockOf(acl, 'cal-g')).toContain('grastorp/presence/+');
    expect(blockOf(acl, 'calendar-lerum')).toContain('lerum/presence/+');
    expect(blockOf(acl, 'org-lerum')).toMatch(/^topic readwrite hanvisa\/v1\/lerum\/directory\/org$/m);
    expect(blockOf(acl, 'import-lerum')).toMatch(/^topic write hanvisa\/v1\/lerum\/directory\/person\/\+$/m);
    expect(blockOf(acl, 'import-lerum')).not.toMatch(/write .*directory\/org/);
  });

  it('refuses one name for two kinds of account', () => {
    expect(
      planAcl(desks, {
        ...NO_USERS,
        services: { recorder: users('recorder-user', 'svc'), calendar: users('calendar-user', 'lerum=svc') },
      }),
    ).toEqual({
      ok: false,
      problems: ['username "svc" is both --calendar-user lerum=svc and --recorder-user svc'],
    });
  });

  it('reads a recorder user without ORG= as every organisation’s', () => {
    expect(parseServiceUser('recorder-user', 'rec', undefined)).toEqual({
      ok: true,
      value: { org: undefined, username: 'rec', option: '--recorder-user rec' },
    });
  });
});
