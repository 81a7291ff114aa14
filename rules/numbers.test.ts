import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NumberAudience } from '../protocol/index.js';
import { mayGive, numberVisibility } from './numbers.js';

const audience = fc.constantFrom<NumberAudience>('public', 'partners', 'internal');

describe('who may be given a number (Guldborgsund: public, or for partners only)', () => {
  it('gives internal readers every number, public readers only public ones', () => {
    expect(mayGive('internal', 'partners')).toBe(true);
    expect(mayGive('partners', 'partners')).toBe(true);
    expect(mayGive('public', 'partners')).toBe(false);
    expect(mayGive('partners', 'internal')).toBe(false);
  });

  it('property: a reader further in is given everything one further out is', () => {
    fc.assert(
      fc.property(audience, audience, audience, (a, b, n) => {
        const order = ['public', 'partners', 'internal'];
        fc.pre(order.indexOf(a) <= order.indexOf(b));
        if (mayGive(a, n)) expect(mayGive(b, n)).toBe(true);
        expect(mayGive(a, a)).toBe(true);
      }),
    );
  });

  it('defaults: a direct number and an e-mail address are public, a mobile number internal', () => {
    expect(numberVisibility(undefined, 'direct')).toBe('public');
    expect(numberVisibility(undefined, 'email')).toBe('public');
    expect(numberVisibility(undefined, 'mobile')).toBe('internal');
    expect(numberVisibility({ direct: 'partners' }, 'direct')).toBe('partners');
  });
});
