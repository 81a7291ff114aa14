import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './ratelimit.js';

const MIN = 60_000;

function limiter(options: { maxKeys?: number; maxLocked?: number } = {}) {
  const clock = { now: 1_700_000_000_000 };
  return { clock, limiter: new LoginRateLimiter({ ...options, clock: () => clock.now }) };
}

describe('login rate limit', () => {
  it('refuses the sixth try at a username within 15 min, from any address, with the wait', () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 5; i++) {
      expect(l.begin(`10.0.0.${i}`, 'anna')).toEqual({ ok: true });
      clock.now += MIN;
    }
    // first failure at t0, now t0+5 min: free again at t0+15 min
    expect(l.begin('10.0.0.99', 'ANNA ')).toEqual({ ok: false, retryAfterSeconds: 600, key: 'username' });
    expect(l.begin('10.0.0.99', 'bo')).toEqual({ ok: true });
    clock.now += 10 * MIN - 1;
    expect(l.begin('10.0.0.99', 'anna')).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    clock.now += 1;
    expect(l.begin('10.0.0.99', 'anna')).toEqual({ ok: true }); // the oldest failure left the window
    expect(l.begin('10.0.0.99', 'anna')).toMatchObject({ ok: false, retryAfterSeconds: 60 }); // the next oldest
  });

  it('counts an attempt before the password is checked, so parallel guesses cannot pass together', () => {
    const { limiter: l } = limiter();
    const burst = Array.from({ length: 50 }, (_, i) => l.begin(`10.2.0.${i}`, 'anna'));
    expect(burst.filter((c) => c.ok)).toHaveLength(5);
  });

  it('refuses an address after 20 failures across usernames', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 20; i++) l.begin('192.0.2.7', `user${i}`);
    expect(l.begin('192.0.2.7', 'newname')).toEqual({ ok: false, retryAfterSeconds: 900, key: 'address' });
    expect(l.begin('192.0.2.8', 'newname')).toEqual({ ok: true });
  });

  it('clears a username on success and takes only that attempt off the address', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 4; i++) l.begin('192.0.2.7', 'anna');
    l.begin('192.0.2.7', 'anna');
    l.succeed('192.0.2.7', 'anna');
    for (let i = 0; i < 5; i++) expect(l.begin('192.0.2.7', 'anna').ok).toBe(true);
    expect(l.begin('192.0.2.7', 'anna').ok).toBe(false);
    // Address: 4 + 5 failures stand, the success does not count: 11 more names may be tried.
    for (let i = 0; i < 11; i++) expect(l.begin('192.0.2.7', `other${i}`).ok).toBe(true);
    expect(l.begin('192.0.2.7', 'other-last')).toMatchObject({ ok: false, key: 'address' });
  });

  it('lets a room of operators behind one address log in all day', () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 200; i++) {
      expect(l.begin('192.0.2.50', `operator${i % 12}`).ok).toBe(true);
      l.succeed('192.0.2.50', `operator${i % 12}`);
      clock.now += MIN;
    }
    expect(l.size).toEqual({ users: 0, addresses: 0 });
  });

  it('keeps memory bounded under a flood of names', () => {
    const { limiter: l } = limiter({ maxKeys: 1000 });
    for (let i = 0; i < 10_000; i++) l.begin(`198.51.100.${i % 250}`, `name-${i}`);
    expect(l.size.users).toBeLessThanOrEqual(1000);
    expect(l.size.addresses).toBeLessThanOrEqual(1000);
    // The flood's addresses are the most recently failed keys and still limited.
    expect(l.begin('198.51.100.1', 'someone')).toMatchObject({ ok: false, key: 'address' });
  });

  it('never lets more than 5 attempts at one username through in any 15 min', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 * MIN }), { maxLength: 60 }), (gaps) => {
        const { clock, limiter: l } = limiter();
        const tried: number[] = [];
        for (const [i, gap] of gaps.entries()) {
          clock.now += gap;
          if (l.begin(`10.1.${i % 200}.1`, 'anna').ok) tried.push(clock.now);
        }
        for (let i = 5; i < tried.length; i++) {
          expect((tried[i] as number) - (tried[i - 5] as number)).toBeGreaterThanOrEqual(15 * MIN);
        }
      }),
    );
  });

  it('bounds the locked names too, forgetting the one locked first', () => {
    const { limiter: l } = limiter({ maxKeys: 10, maxLocked: 100 });
    for (let name = 0; name < 300; name++)
      for (let i = 0; i < 5; i++) l.begin(`10.${name}.${i}.1`, `name-${name}`);
    expect(l.size.users).toBeLessThanOrEqual(110);
    expect(l.begin('10.255.0.1', 'name-299')).toMatchObject({ ok: false, key: 'username' });
    expect(l.begin('10.255.0.2', 'name-0').ok).toBe(true);
  });

  it('keeps a locked user locked through a flood of addresses (each its own IPv6 /64)', () => {
    const { clock, limiter: l } = limiter({ maxKeys: 100 });
    for (let i = 0; i < 5; i++) l.begin(`192.0.2.${i}`, 'anna');
    // 20,000 guesses at other names, each from a fresh /64: far more addresses than the limiter keeps
    for (let i = 0; i < 20_000; i++)
      l.begin(`2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`, `name-${i % 300}`);
    clock.now += MIN;
    expect(l.begin('2001:db8:ffff:1::1', 'anna')).toMatchObject({ ok: false, key: 'username' });
    expect(l.size.addresses).toBeLessThanOrEqual(100);
  });

  it('keeps locked users apart from the rest: a flood of names evicts only names below their limit', () => {
    fc.assert(
      fc.property(
        // many addresses guessing at a few hundred names: some get locked themselves
        fc.array(fc.tuple(fc.nat({ max: 5000 }), fc.nat({ max: 200 })), { minLength: 200, maxLength: 2000 }),
        (flood) => {
          const { limiter: l } = limiter({ maxKeys: 50, maxLocked: 1000 });
          for (let i = 0; i < 5; i++) l.begin(`10.9.0.${i}`, 'anna');
          for (const [address, name] of flood) l.begin(`10.${address >> 8}.${address & 0xff}.1`, `n${name}`);
          expect(l.begin('203.0.113.9', 'anna')).toMatchObject({ ok: false, key: 'username' });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('counts an IPv6 /64 as one address, and IPv4 (also IPv4-mapped) per address', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 20; i++)
      expect(l.begin(`2001:db8:1:2:${i.toString(16)}::7`, `user${i}`).ok).toBe(true);
    expect(l.begin('2001:0db8:0001:0002:ffff:ffff:ffff:ffff', 'other')).toMatchObject({
      ok: false,
      key: 'address',
    });
    expect(l.begin('[2001:db8:1:2::9]', 'other')).toMatchObject({ ok: false, key: 'address' });
    expect(l.begin('2001:db8:1:3::7', 'other').ok).toBe(true); // the next /64

    for (let i = 0; i < 20; i++) l.begin('::ffff:192.0.2.7', `v4user${i}`);
    expect(l.begin('192.0.2.7', 'other')).toMatchObject({ ok: false, key: 'address' });
    expect(l.begin('192.0.2.8', 'other').ok).toBe(true);
  });
});
