import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import type { Role, Session } from '../auth/index.js';
import { BoardModel } from './model.js';
import { createRedaction, unpackRows, type WireRow } from './wire.js';

const AT = '2026-11-23T10:00:00.000Z';
const ORGS = ['north', 'south'] as const;

const session = (role: Role, orgs: Session['orgs'], ext?: string): Session => ({
  id: 's',
  username: 'u',
  name: 'U',
  role,
  orgs,
  ...(ext ? { ext } : {}),
  csrfToken: 't',
  createdAt: 0,
  lastSeen: 0,
});

// One person's messages: any field may be missing, reasons include a private one (sick), a public
// one (lunch) and a code no catalogue knows.
const personArb = fc.record({
  org: fc.constantFrom(...ORGS),
  ext: fc.integer({ min: 100, max: 130 }).map(String),
  name: fc.option(fc.constantFrom('Anna Berg', 'Åsa Öberg', 'Per "P" Lind'), { nil: undefined }),
  department: fc.option(fc.constantFrom('soc', 'bygg'), { nil: undefined }),
  title: fc.option(fc.constantFrom('Handläggare', 'Chef'), { nil: undefined }),
  reason: fc.option(fc.constantFrom('lunch', 'sick', 'no-such-code'), { nil: null }),
  note: fc.option(fc.constantFrom('Ringde 07:40', 'x'), { nil: undefined }),
  voicemail: fc.nat(3),
  message: fc.boolean(),
});

type PersonSpec = typeof personArb extends fc.Arbitrary<infer T> ? T : never;

function modelOf(people: PersonSpec[]): BoardModel {
  const model = new BoardModel(undefined, undefined, () => Date.parse(AT));
  const apply = (m: Message) => model.apply(m);
  for (const p of people) {
    if (p.name)
      apply({
        kind: 'directory-person',
        org: p.org,
        ext: p.ext,
        body: {
          v: 1,
          name: p.name,
          ...(p.department ? { department: p.department } : {}),
          ...(p.title ? { title: p.title } : {}),
        },
      } as Message);
    apply({
      kind: 'presence',
      org: p.org,
      ext: p.ext,
      body: {
        v: 1,
        status: p.reason ? 'away' : 'available',
        reason: p.reason,
        since: AT,
        until: null,
        alt: null,
        ...(p.note ? { note: p.note } : {}),
        seq: 1,
        by: { kind: 'desk', id: 'd' },
        at: AT,
      },
    } as Message);
    if (p.voicemail) apply({ kind: 'voicemail', org: p.org, ext: p.ext, body: { v: 1, count: p.voicemail } });
    if (p.message)
      apply({
        kind: 'mwi',
        org: p.org,
        ext: p.ext,
        body: { v: 1, messages: [{ id: 'm1', at: AT, text: 'Ring tillbaka', callbackBy: null }] },
      });
  }
  return model;
}

describe('the compact snapshot', () => {
  it('carries, per viewer, exactly the rows a delta would: same fields, same redaction', () => {
    const viewers = [
      session('operator', '*'),
      session('operator', ['north']),
      session('viewer', '*'),
      session('viewer', ['south'], '101'),
      session('it', '*', '100'),
    ];
    fc.assert(
      fc.property(
        fc.array(personArb, { maxLength: 12 }),
        fc.constantFrom(undefined, ...ORGS),
        (people, only) => {
          const model = modelOf(people);
          const redaction = createRedaction(model, (ext) =>
            ext === '100' ? 'https://desk/100' : 'javascript:x',
          );
          for (const viewer of viewers) {
            const expected: WireRow[] = model
              .snapshot()
              .rows.filter(
                (r) => (!only || r.org === only) && (viewer.orgs === '*' || viewer.orgs.includes(r.org)),
              )
              .map((r) => redaction.row(r, viewer));
            // through JSON, as sent
            const sent = JSON.parse(JSON.stringify(redaction.snapshot(only, viewer, true)));
            expect(unpackRows(sent)).toEqual(expected);
          }
        },
      ),
    );
  });

  it('reduces what a viewer sees as the deltas do', () => {
    const model = modelOf([
      {
        org: 'north',
        ext: '100',
        name: 'Anna Berg',
        department: 'soc',
        title: undefined,
        reason: 'sick',
        note: 'Ringde 07:40',
        voicemail: 1,
        message: true,
      },
    ]);
    const redaction = createRedaction(model, undefined);
    const [row] = unpackRows(redaction.snapshot(undefined, session('viewer', '*'), true));
    expect(row).toEqual({
      org: 'north',
      ext: '100',
      name: 'Anna Berg',
      department: 'soc',
      status: 'away',
      reason: 'away',
      since: AT,
      voicemail: 1,
      voicemailSince: AT,
      messages: 1,
    });
    const [own] = unpackRows(redaction.snapshot(undefined, session('viewer', '*', '100'), true));
    expect(own?.phoneMessages).toHaveLength(1);
    expect(own?.note).toBeUndefined();
  });
});
