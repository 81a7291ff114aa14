import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressBucket } from './address-bucket.js';

describe('addressBucket', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:c000:0207', '192.0.2.7'],
    ['2001:DB8:0:1::5', '2001:db8:0:1::/64'],
    ['2001:db8:0:1:ffff:ffff:ffff:ffff', '2001:db8:0:1::/64'],
    ['[2001:db8::1]', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s spends the budget of %s', (address, bucket) => {
    expect(addressBucket(address)).toBe(bucket);
  });

  it('puts every address of a /64 in one bucket and addresses of different /64s in different ones', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    const groups = (n: number) => fc.array(group, { minLength: n, maxLength: n });
    fc.assert(
      fc.property(groups(4), groups(4), groups(4), (prefix, a, b) => {
        const text = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
        expect(addressBucket(`${text(prefix)}:${text(a)}`)).toBe(addressBucket(`${text(prefix)}:${text(b)}`));
        const other = [...prefix.slice(0, 3), ((prefix[3] ?? 0) + 1) & 0xffff];
        expect(addressBucket(`${text(other)}:${text(a)}`)).not.toBe(
          addressBucket(`${text(prefix)}:${text(a)}`),
        );
      }),
    );
  });
});
