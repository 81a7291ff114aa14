import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceId, ext, org } from '../test/support/arbitraries.js';
import { aclAccounts, allows, EXAMPLE_ACL, filtersOverlap, renderAcl } from './acl.js';
import { KIND_TABLE, type Writer } from './kinds.js';
import { KINDS, matchesFilter, type TopicRef, topicFor } from './topics.js';

const committed = join(import.meta.dirname, '../deploy/mosquitto/acl');

describe('the ACL and the kind table (kinds.ts)', () => {
  it('let exactly the writers a kind names publish it', () => {
    // one account of each writer in the example installation; the desk acts on its own topics
    const writerOf: Record<string, Writer> = {
      'board-grastorp': 'board',
      'switchboard-grastorp': 'switchboard',
      'calendar-grastorp': 'calendar',
      'notify-grastorp': 'notify',
      provisioning: 'provisioning',
      // the settings publisher and the import do provisioning's jobs on an account of their own
      'org-grastorp': 'provisioning',
      'import-grastorp': 'provisioning',
      'desk-4711': 'desk',
    };
    const all = aclAccounts({
      ...EXAMPLE_ACL,
      orgPublishers: [{ username: 'org-grastorp', org: 'grastorp' }],
      importers: [{ username: 'import-grastorp', org: 'grastorp' }],
    });
    // the recorder only reads
    expect(all.find((a) => a.username === 'recorder')?.grants.every((g) => g.access === 'read')).toBe(true);
    const accounts = all.filter((a) => a.username in writerOf);
    for (const kind of KINDS) {
      const params = {
        ext: '4711',
        deviceId: 'desk-4711',
        queueId: 'q1',
        departmentId: 'd1',
        messageId: 'm1',
        sessionId: 's'.repeat(43),
      };
      const topic = topicFor({ kind, org: 'grastorp', ...params } as TopicRef);
      const writers = accounts
        .filter((a) => allows(a.grants, 'write', topic))
        .map((a) => writerOf[a.username]);
      expect({ kind, writers: [...new Set(writers)].sort() }).toEqual({
        kind,
        writers: [...KIND_TABLE[kind].writers].sort(),
      });
    }
  });
});

describe('renderAcl', () => {
  it('renders the committed example ACL (deploy/mosquitto/acl)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(renderAcl(EXAMPLE_ACL));
  });

  it("grants each desk exactly its own extension's presence and messages", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ deviceId, org, ext }), { selector: (d) => d.deviceId, maxLength: 5 }),
        (desks) => {
          const acl = renderAcl({ desks });
          for (const d of desks) {
            const block = acl.split(`\nuser ${d.deviceId}\n`)[1]?.split('\n\n')[0] ?? '';
            expect(block).toContain(`topic readwrite hanvisa/v1/${d.org}/presence/${d.ext}\n`);
            expect(block).toContain(`topic read hanvisa/v1/${d.org}/mwi/${d.ext}/msg/+\n`);
            expect(block).toContain(`topic read hanvisa/v1/${d.org}/mwi/${d.ext}\n`);
            expect(block).toContain(`topic read hanvisa/v1/${d.org}/voicemail/${d.ext}\n`);
            expect(block).not.toMatch(/presence\/\+|#/);
          }
        },
      ),
    );
  });

  it('gives mwi and voicemail one writer each: the board phone messages, the switchboard side voicemail', () => {
    const acl = renderAcl(EXAMPLE_ACL);
    const writers = (topic: string) =>
      acl
        .split('\n\n')
        .filter((block) =>
          new RegExp(`^topic (read)?write hanvisa/v1/grastorp/${topic.replaceAll('+', '\\+')}$`, 'm').test(
            block,
          ),
        )
        .map((block) => /^user (\S+)$/m.exec(block)?.[1]);
    expect(writers('mwi/+/msg/+')).toEqual(['board-grastorp']);
    expect(writers('mwi/+')).toEqual(['board-grastorp']);
    expect(writers('voicemail/+')).toEqual(['switchboard-grastorp']);
  });

  it('lets only boards read the logouts (their id is of no use without the session secret, but still)', () => {
    const topic = topicFor({ kind: 'session-revoked', org: 'grastorp', sessionId: 's'.repeat(43) });
    const readers = aclAccounts(EXAMPLE_ACL)
      .filter((a) => allows(a.grants, 'read', topic))
      .map((a) => a.username);
    expect(readers).toEqual(['board-grastorp']);
  });

  it.each([
    ['a wildcard in a device id', { desks: [{ deviceId: 'desk+', org: 'acme', ext: '1' }] }],
    ['a slash in an extension', { desks: [{ deviceId: 'd', org: 'acme', ext: '1/#' }] }],
    [
      'a newline in a board username',
      { desks: [], boards: [{ username: 'b\ntopic readwrite #', org: 'acme' }] },
    ],
    ['a space in a provisioning username', { desks: [], provisioning: ['it admin'] }],
    [
      'one username twice',
      { desks: [{ deviceId: 'provisioning', org: 'acme', ext: '1' }], provisioning: ['provisioning'] },
    ],
  ])('refuses %s', (_, input) => {
    expect(() => renderAcl(input)).toThrow(/ACL:/);
  });
});

describe('the rule table', () => {
  it.each([
    ['the example installation', EXAMPLE_ACL],
    [
      'every kind of account, one recorder and one board serving two organisations',
      {
        ...EXAMPLE_ACL,
        boards: ['grastorp', 'essunga'].map((org) => ({ username: 'board-both', org })),
        recorders: ['grastorp', 'essunga'].map((org) => ({ username: 'recorder', org })),
        orgPublishers: [{ username: 'org-grastorp', org: 'grastorp' }],
        importers: [{ username: 'import-grastorp', org: 'grastorp' }],
      },
    ],
  ])(
    'is exactly what the rendered file says for %s: the embedded broker and Mosquitto enforce one table',
    (_, input) => {
      const parsed = renderAcl(input)
        .split('\n\n')
        .slice(1)
        .map((block) => ({
          username: /^user (\S+)$/m.exec(block)?.[1],
          grants: [...block.matchAll(/^topic (\S+) (\S+)$/gm)].map(([, access, filter]) => ({
            access,
            filter,
          })),
        }));
      expect(parsed).toEqual(aclAccounts(input).map(({ username, grants }) => ({ username, grants })));
      expect(renderAcl(input)).not.toMatch(/^pattern/m);
      // one block per username, however many organisations it serves
      expect(new Set(parsed.map((a) => a.username)).size).toBe(parsed.length);
    },
  );

  it('filtersOverlap never misses a topic two filters both match', () => {
    const level = fc.constantFrom('a', 'b', '+');
    const filter = fc
      .tuple(fc.array(level, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([levels, hash]) => [...levels, ...(hash ? ['#'] : [])].join('/'));
    const topic = fc
      .array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 6 })
      .map((l) => l.join('/'));
    fc.assert(
      fc.property(filter, filter, topic, (a, b, t) => {
        if (matchesFilter(a, t) && matchesFilter(b, t)) expect(filtersOverlap(a, b)).toBe(true);
        expect(filtersOverlap(a, b)).toBe(filtersOverlap(b, a));
      }),
    );
  });
});
