// Where a process's CPU went, by stage: each sample of a V8 .cpuprofile (`node --cpu-prof`) is given
// to the nearest frame on its stack that a stage names (so a schema check inside decode() counts as
// validation, not decode), garbage collection and idle by V8's own pseudo-frames, the rest as `other`.
// The board cold start benchmark reports its split with this (docs/board.md, Figures).

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** A stage: a name and the frames that open it (function name and the end of the script's URL). */
export interface Stage {
  name: string;
  frames: { functionName: string | RegExp; urlEndsWith: string }[];
}

// a Map: a frame named `constructor` or `toString` must not find Object.prototype's
const PSEUDO = new Map([
  ['(garbage collector)', 'gc'],
  ['(idle)', 'idle'],
  ['(program)', 'program'],
]);

/** Milliseconds of samples per stage, stages first in the order given, then gc, idle, program, other. */
export function splitByStage(profile: CpuProfile, stages: readonly Stage[]): Record<string, number> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const matches = (id: number) => {
    const { functionName, url } = byId.get(id)?.callFrame ?? { functionName: '', url: '' };
    return stages.find((s) =>
      s.frames.some(
        (f) =>
          url.endsWith(f.urlEndsWith) &&
          (typeof f.functionName === 'string'
            ? f.functionName === functionName
            : f.functionName.test(functionName)),
      ),
    )?.name;
  };
  const stageOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = stageOf.get(id);
    if (known !== undefined) return known;
    const pseudo = PSEUDO.get(byId.get(id)?.callFrame.functionName ?? '');
    const parent = parentOf.get(id);
    const stage = pseudo ?? matches(id) ?? (parent === undefined ? 'other' : resolve(parent));
    stageOf.set(id, stage);
    return stage;
  };
  const us = new Map<string, number>(
    [...stages.map((s) => s.name), 'gc', 'idle', 'program', 'other'].map((n) => [n, 0]),
  );
  profile.samples.forEach((id, i) => {
    const stage = resolve(id);
    us.set(stage, (us.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return Object.fromEntries([...us].map(([name, t]) => [name, Math.round(t / 100) / 10]));
}
