// The board's side of issue 22: a busy line on the person's row (line/{ext}), and a call routed to the
// switchboard as a live notice whose reason each role sees only as far as it may (extcall/{ext}).
import { describe, expect, it } from 'vitest';
import type { ExtCallEvent, Message } from '../../protocol/index.js';
import type { Role, Session } from '../auth/index.js';
import { BoardModel, type Delta } from './model.js';
import { createRedaction } from './wire.js';

const ORG = 'guldborgsund';
const SINCE = '2026-11-23T11:02:09.310Z';

const session = (role: Role): Session => ({
  id: 's',
  username: 'u',
  name: 'U',
  role,
  orgs: '*',
  csrfToken: 't',
  createdAt: 0,
  lastSeen: 0,
});

const line = (state: 'idle' | 'ringing' | 'in-call'): Message => ({
  kind: 'line',
  org: ORG,
  ext: '4711',
  body: { v: 1, state, since: SINCE },
});

const routed = (extra: Partial<ExtCallEvent>): Message => ({
  kind: 'ext-call',
  org: ORG,
  ext: '4711',
  body: {
    v: 1,
    id: `r-${JSON.stringify(extra).length}`,
    call: 'a84b@10.0.0.5',
    event: 'routed',
    at: SINCE,
    to: 'switchboard',
    cause: 'referred',
    target: '9000',
    reason: 'lunch',
    until: '2026-11-23T12:00:00.000Z',
    ...extra,
  },
});

function listening(model: BoardModel): Delta[] {
  const seen: Delta[] = [];
  model.listen((d) => seen.push(d));
  return seen;
}

describe('the line on the row', () => {
  it('shows ringing and in a call, and nothing once idle', () => {
    const model = new BoardModel();
    model.apply({
      kind: 'directory-person',
      org: ORG,
      ext: '4711',
      body: { v: 1, name: 'Anna Ek', department: 'bygg' },
    });
    expect(model.apply(line('ringing'))).toBe(true);
    expect(model.row(ORG, '4711')?.line).toEqual({ state: 'ringing', since: SINCE });
    expect(model.apply(line('in-call'))).toBe(true);
    expect(model.row(ORG, '4711')?.line?.state).toBe('in-call');
    // the retained value re-delivered changes nothing
    expect(model.apply(line('in-call'))).toBe(false);
    expect(model.apply(line('idle'))).toBe(true);
    expect(model.row(ORG, '4711')?.line).toBeNull();
  });

  it('an idle line of an extension the board does not know makes no row', () => {
    const model = new BoardModel();
    expect(model.apply(line('idle'))).toBe(false);
    expect(model.size).toBe(0);
  });
});

describe('a call routed to the switchboard', () => {
  it('is a live notice; the other steps of a call are not', () => {
    const model = new BoardModel();
    const seen = listening(model);
    expect(model.apply(routed({}))).toBe(true);
    expect(model.apply(routed({ to: 'desk', cause: 'available', target: '4711' }))).toBe(false);
    expect(
      model.apply({
        kind: 'ext-call',
        org: ORG,
        ext: '4711',
        body: { v: 1, id: 'a-1', call: 'a84b@10.0.0.5', event: 'answered', at: SINCE, ringSeconds: 4 },
      }),
    ).toBe(false);
    expect(seen.map((d) => d.type)).toEqual(['call']);
    expect(model.size).toBe(0);
  });

  it('carries a reason a viewer may not see only as away (Grästorp: the operator may, others not)', () => {
    const model = new BoardModel();
    const redaction = createRedaction(model, undefined);
    const seen = listening(model);
    model.apply(routed({ reason: 'sick' }));
    model.apply(routed({ reason: 'lunch' }));
    const [sick, lunch] = seen;
    if (!sick || !lunch) throw new Error('no notices');
    const reasonOf = (d: Delta, role: Role) => {
      const wire = redaction.delta(d, session(role));
      return wire.type === 'call' ? wire.call.reason : undefined;
    };
    expect(reasonOf(sick, 'operator')).toBe('sick');
    expect(reasonOf(sick, 'viewer')).toBe('away');
    expect(reasonOf(sick, 'it')).toBe('away');
    expect(reasonOf(lunch, 'viewer')).toBe('lunch');
  });
});
