import { describe, expect, it } from 'vitest';
import { type CpuProfile, splitByStage } from './cpu-profile-stages.js';

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url },
  children,
});

// (root) → work → decode → safeParse, and (root) → (garbage collector)
const profile: CpuProfile = {
  nodes: [
    frame(1, '(root)', '', [2, 5]),
    frame(2, 'work', 'file:///x/node_modules/mqtt/build/lib/client.js', [3]),
    frame(3, 'decode', 'file:///x/dist/protocol/codec.js', [4]),
    frame(4, 'targetAny.safeParse', 'file:///x/node_modules/zod/v4/core/compile.js', [6]),
    frame(5, '(garbage collector)', ''),
    // a name that is also an Object.prototype key
    frame(6, 'constructor', 'file:///x/dist/protocol/schemas.js'),
  ],
  samples: [2, 3, 3, 4, 5, 1, 6],
  timeDeltas: [1000, 2000, 2000, 500, 1500, 300, 200],
};

describe('splitByStage', () => {
  it('gives each sample to the nearest stage on its stack, GC to gc, the rest to other', () => {
    const split = splitByStage(profile, [
      { name: 'validate', frames: [{ functionName: /safeParse$/, urlEndsWith: 'compile.js' }] },
      { name: 'decode', frames: [{ functionName: 'decode', urlEndsWith: 'protocol/codec.js' }] },
      { name: 'transport', frames: [{ functionName: 'work', urlEndsWith: 'mqtt/build/lib/client.js' }] },
    ]);
    expect(split).toEqual({
      validate: 0.7,
      decode: 4,
      transport: 1,
      gc: 1.5,
      idle: 0,
      program: 0,
      other: 0.3,
    });
  });

  it('names no stage for a frame whose URL does not match, even with the same function name', () => {
    const split = splitByStage(profile, [
      { name: 'decode', frames: [{ functionName: 'decode', urlEndsWith: 'encoding' }] },
    ]);
    expect(split.decode).toBe(0);
    expect(split.other).toBe(6);
  });
});
