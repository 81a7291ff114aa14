import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DebounceState, debounce, settled } from './debounce.js';

const DEBOUNCE = 20;

/** Samples every `step` ms of levels; the changes reported. */
function run(levels: boolean[], step: number): { at: number; change: 'press' | 'release' }[] {
  let state: DebounceState = settled(false, 0);
  const out: { at: number; change: 'press' | 'release' }[] = [];
  levels.forEach((level, i) => {
    const r = debounce(state, level, (i + 1) * step, DEBOUNCE);
    state = r.state;
    if (r.change) out.push({ at: (i + 1) * step, change: r.change });
  });
  return out;
}

describe('debounce', () => {
  it('reports a level once it held for the debounce time, not before', () => {
    const levels = [true, false, true, true, true, true, true, false, false, false, false, false];
    expect(run(levels, 5)).toEqual([
      { at: 35, change: 'press' },
      { at: 60, change: 'release' },
    ]);
  });

  it('property: changes alternate, start with a press, and each follows a run of equal samples ≥ debounce', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 300 }),
        fc.integer({ min: 1, max: 10 }),
        (levels, step) => {
          const changes = run(levels, step);
          changes.forEach((c, i) => {
            expect(c.change).toBe(i % 2 === 0 ? 'press' : 'release');
            const index = c.at / step - 1;
            const level = c.change === 'press';
            const runStart = Math.max(0, index - Math.ceil(DEBOUNCE / step));
            for (let j = runStart; j <= index; j++) expect(levels[j]).toBe(level);
          });
        },
      ),
    );
  });

  it('property: a glitch shorter than the debounce time never reports anything', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: DEBOUNCE - 1 }),
        fc.integer({ min: 0, max: 50 }),
        (glitch, before) => {
          const levels = [
            ...Array(before).fill(false),
            ...Array(glitch).fill(true),
            ...Array(100).fill(false),
          ];
          expect(run(levels, 1)).toEqual([]);
        },
      ),
    );
  });
});
