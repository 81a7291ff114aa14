// The simulated switchboard's calls to people feed the statistics page as a real PBX's would: stepped
// by a hand-driven clock through the embedded broker into the recorder (SQLite), today's report has
// unreferred calls (Falkenberg), answers within 4 rings (Guldborgsund: "inden 4 ring") and operator
// transfers answered or come back (Guldborgsund: "90 % af alle samtaler stilles korrekt om").
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { dayKey } from '../../switchboard/recorder/figures/periods.js';
import { type Recorder, startRecorder } from '../../switchboard/recorder/recorder.js';
import { statsReport } from '../../switchboard/recorder/stats.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
import { type Simulator, startSimulator } from '../../switchboard/simulator/simulator.js';
import { manualClock } from '../support/manual-clock.js';

const ORG = 'figures';

let dir: string;
let broker: EmbeddedBroker;
let storage: Storage;
let recorder: Recorder;
let simulator: Simulator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-sim-figures-'));
  broker = await startEmbeddedBroker({ port: 0 });
  storage = await openStorage(join(dir, 'record.db'));
  recorder = await startRecorder({ brokerUrl: broker.url, storage, orgs: [ORG], batchMs: 20 });
  await recorder.ready;
});
afterAll(async () => {
  await simulator?.stop();
  await recorder?.close();
  await storage?.close();
  await broker?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("a quarter hour of the simulator's calls gives the statistics page its call figures", async () => {
  const start = Date.now();
  const time = manualClock(start);
  simulator = startSimulator({ brokerUrl: broker.url, org: ORG, seed: 5, clock: time });
  await simulator.ready;
  while (time.now() < start + 15 * 60_000) time.fire();

  const today = dayKey(Date.now(), 'Europe/Stockholm');
  const report = () =>
    statsReport(storage, {
      org: ORG,
      from: today,
      to: today,
      period: 'day',
      people: true,
      timeZone: 'Europe/Stockholm',
      now: start + 15 * 60_000,
      thresholdSeconds: 20,
      heartbeatMs: 30_000,
    });
  // every department's calls, summed: the simulator calls people across the directory
  const totals = async () => {
    const figures = (await report()).departments.map((d) => d.overall);
    const sum = (pick: (f: (typeof figures)[number]) => number | null) =>
      figures.reduce((n, f) => n + (pick(f) ?? 0), 0);
    return {
      unreferred: sum((f) => f.unreferred),
      answeredInRings: sum((f) => f.answeredInRings),
      transfers: sum((f) => f.transfers),
      transferredCorrectly: sum((f) => f.transferredCorrectly),
      transfersBounced: sum((f) => f.transfersBounced),
    };
  };
  await vi.waitFor(
    async () => {
      const t = await totals();
      expect(t.unreferred).toBeGreaterThan(0);
      expect(t.answeredInRings).toBeGreaterThan(0);
      expect(t.transferredCorrectly).toBeGreaterThan(0);
      expect(t.transfersBounced).toBeGreaterThan(0);
      expect(t.transferredCorrectly + t.transfersBounced).toBeLessThanOrEqual(t.transfers);
    },
    { timeout: 15_000, interval: 200 },
  );
  expect((await report()).callEvents).toBe(true);
});
