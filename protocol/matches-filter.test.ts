import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesFilter } from './topics.js';

const level = fc.stringMatching(/^[a-z0-9-]{0,6}$/);

describe('matchesFilter', () => {
  it('a filter made from a topic, with any levels replaced by + and any tail by #, matches it', () => {
    fc.assert(
      fc.property(
        fc.array(level, { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean()),
        fc.nat(),
        (levels, plus, cut) => {
          const topic = levels.join('/');
          const filter = levels.map((l, i) => (plus[i] ? '+' : l));
          expect(matchesFilter(filter.join('/'), topic)).toBe(true);
          const keep = cut % (levels.length + 1);
          expect(matchesFilter([...filter.slice(0, keep), '#'].join('/'), topic)).toBe(true);
        },
      ),
    );
  });

  it('does not match another level, a shorter or a longer topic', () => {
    expect(matchesFilter('hanvisa/v1/+/device/+/config/ack', 'hanvisa/v1/o/device/d/config/ack')).toBe(true);
    expect(matchesFilter('hanvisa/v1/+/device/+/config/ack', 'hanvisa/v1/o/device/d/config')).toBe(false);
    expect(matchesFilter('hanvisa/v1/o/device/#', 'hanvisa/v1/o/device')).toBe(true);
    expect(matchesFilter('hanvisa/v1/o/device/#', 'hanvisa/v1/p/device/d/state')).toBe(false);
    expect(matchesFilter('hanvisa/v1/o/device/+', 'hanvisa/v1/o/device/d/state')).toBe(false);
  });
});
