import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, type Mwi, topicFor } from '../../protocol/index.js';
import { OwnWrites } from './own-writes.js';

const mwi = (ids: string[]): Mwi => ({
  v: 1,
  messages: ids.map((id) => ({
    id,
    at: '2026-11-23T09:12:00.000Z',
    text: 'Ring tillbaka',
    callbackBy: null,
  })),
});
const topic = (ext: string) => topicFor({ kind: 'mwi', org: 'acme', ext });
const payload = (body: Mwi) => encode({ kind: 'mwi', org: 'acme', ext: '1', body }).payload;

describe('OwnWrites', () => {
  it('holds the newest write until the broker has echoed it, whatever else arrives meanwhile', () => {
    // The broker echoes each write, in order; other writers' values arrive in between.
    const op = fc.oneof(
      fc.constant({ op: 'write' as const }),
      fc.constant({ op: 'echo' as const }),
      fc.record({
        op: fc.constant('foreign' as const),
        ids: fc.array(fc.constantFrom('x', 'y'), { minLength: 1 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const own = new OwnWrites();
        const inFlight: Buffer[] = [];
        let newest: Mwi | undefined;
        for (const [n, o] of ops.entries()) {
          if (o.op === 'write') {
            // every third write the same value (all handled), so equal payloads are in flight at once
            newest = mwi(n % 3 === 2 ? [] : [`m${n}`]);
            own.wrote(topic('1'), payload(newest), newest);
            inFlight.push(payload(newest));
          } else if (o.op === 'echo') {
            const echo = inFlight.shift();
            if (echo) own.heard(topic('1'), echo);
          } else {
            own.heard(topic('1'), payload(mwi(o.ids)));
          }
          expect(own.latest(topic('1'))).toEqual(inFlight.length > 0 ? newest : undefined);
          expect(own.latest(topic('2'))).toBeUndefined();
        }
      }),
    );
  });

  it('an echo lost on the way (a reconnect) is settled by a later one or the retained value', () => {
    const own = new OwnWrites();
    own.wrote(topic('1'), payload(mwi(['a'])), mwi(['a']));
    own.wrote(topic('1'), payload(mwi(['a', 'b'])), mwi(['a', 'b']));
    own.heard(topic('1'), payload(mwi(['a', 'b'])));
    expect(own.latest(topic('1'))).toBeUndefined();
  });
  it('forgets a write the broker never took, so the next starts from the one before', () => {
    const own = new OwnWrites();
    const [a, b] = [mwi(['a']), mwi(['a', 'b'])];
    own.wrote(topic('1'), payload(a), a);
    own.wrote(topic('1'), payload(b), b);
    own.forget(topic('1'), payload(b));
    expect(own.latest(topic('1'))).toEqual(a);
    own.forget(topic('1'), payload(a));
    expect(own.latest(topic('1'))).toBeUndefined();
  });
});
